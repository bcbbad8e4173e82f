package org.homecoming.roster.lists;

import java.time.LocalDate;
import java.util.List;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Release lists, uploaded by the tracing agency's list system or by ops. */
@RestController
class ReleaseListController {

    private final ReleaseListPublisher publisher;

    ReleaseListController(ReleaseListPublisher publisher) {
        this.publisher = publisher;
    }

    @PostMapping(path = "/api/v1/rounds/{roundId}/lists", consumes = "application/json")
    @ResponseStatus(HttpStatus.CREATED)
    PublishedList publish(@PathVariable String roundId, @Valid @RequestBody ListUpload upload) {
        return publisher.publish(roundId, upload);
    }

    record ListUpload(@NotBlank String listId, @NotNull Side releasingSide, @NotEmpty List<@Valid Entry> entries) {
    }

    record Entry(@NotBlank String personId, @NotBlank String surname, @NotBlank String givenName, String patronymic,
                 LocalDate birthDate, @NotNull PersonCategory category) {
    }

    record PublishedList(String listId, int version, int entryCount) {
    }
}
