package org.homecoming.roster.lists;

import java.time.Instant;

import org.homecoming.catalogue.Topics;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.roster.ListingChange;
import org.homecoming.events.roster.PersonListingChanged;
import org.homecoming.events.roster.ReleaseListPublished;
import org.homecoming.roster.lists.ReleaseListController.Entry;
import org.homecoming.roster.lists.ReleaseListController.ListUpload;
import org.homecoming.roster.lists.ReleaseListController.PublishedList;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.stereotype.Service;

/** Publishes a release list and all its entries in one Kafka transaction. */
@Service
class ReleaseListPublisher {

    private final KafkaTemplate<String, Object> kafka;

    ReleaseListPublisher(KafkaTemplate<String, Object> kafka) {
        this.kafka = kafka;
    }

    PublishedList publish(String roundId, ListUpload upload) {
        Instant now = Instant.now();
        int version = 1;
        kafka.executeInTransaction(operations -> {
            for (Entry entry : upload.entries()) {
                operations.send(Topics.LISTED_PERSONS.name(), entry.personId(), PersonListingChanged.newBuilder()
                        .setPersonId(entry.personId())
                        .setChange(ListingChange.LISTED)
                        .setRoundId(roundId)
                        .setListId(upload.listId())
                        .setListVersion(version)
                        .setReleasingSide(upload.releasingSide())
                        .setNativeName(new PersonName(entry.surname(), entry.givenName(), entry.patronymic()))
                        .setBirthDate(entry.birthDate())
                        .setCategory(entry.category())
                        .setChangedAt(now)
                        .build());
            }
            operations.send(Topics.RELEASE_LISTS.name(), upload.listId(), ReleaseListPublished.newBuilder()
                    .setListId(upload.listId())
                    .setRoundId(roundId)
                    .setReleasingSide(upload.releasingSide())
                    .setVersion(version)
                    .setEntryCount(upload.entries().size())
                    .setChecksum("")
                    .setListedCount(upload.entries().size())
                    .setWithdrawnCount(0)
                    .setCorrectedCount(0)
                    .setPublishedAt(now)
                    .build());
            return null;
        });
        return new PublishedList(upload.listId(), version, upload.entries().size());
    }
}
