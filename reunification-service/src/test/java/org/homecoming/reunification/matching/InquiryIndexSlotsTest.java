package org.homecoming.reunification.matching;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The index's own bookkeeping of ids and slots: reused slots, a rebuilt id table, ids that are not UUIDs, races. */
class InquiryIndexSlotsTest {

    /** People no two of whom match each other, so each one's candidates are exactly the inquiries about them. */
    private static final List<PersonDescription> PEOPLE = List.of(
            person("Петренко", "Олександр", LocalDate.of(1981, 10, 4)),
            person("Бондаренко", "Олена", LocalDate.of(1975, 3, 12)),
            person("Шевченко", "Тарас", LocalDate.of(1990, 6, 30)),
            person("Коваленко", "Микола", LocalDate.of(1962, 1, 8)),
            person("Бойко", "Ірина", LocalDate.of(2001, 12, 24)));

    private final InquiryIndex index = new InquiryIndex(MatchScorer.standard());

    @Test
    void shouldAgreeWithAPlainMapThroughManyPutsRemovalsAndCorrections() {
        // given: ids of every kind, enough of them to grow the slots and rebuild the id table several times
        Random random = new Random(11);
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            ids.add(new UUID(random.nextLong(), random.nextLong()).toString());
            ids.add(new UUID(0, i).toString());
            ids.add("inq-" + i);
        }
        ids.add(new UUID(1, 2).toString().toUpperCase());
        ids.add("{" + new UUID(3, 4) + "}");
        ids.add(new UUID(5, 6).toString().replace('a', 'g'));
        Map<String, int[]> model = new HashMap<>();

        // when: puts, corrections and removals in a random order, checked against the model along the way
        for (int op = 1; op <= 24_000; op++) {
            String id = ids.get(random.nextInt(ids.size()));
            if (op < 3_000 || random.nextInt(100) < 55) {
                int revision = random.nextInt(1_000);
                int who = random.nextInt(PEOPLE.size());
                index.put(id, revision, PEOPLE.get(who));
                model.put(id, new int[] {revision, who});
            } else {
                index.remove(id);
                model.remove(id);
            }
            if (op % 4_000 == 0) {
                // then
                assertAgrees(model, ids);
            }
        }
        for (String id : new ArrayList<>(model.keySet())) {
            index.remove(id);
            model.remove(id);
        }
        assertAgrees(model, ids);
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldFindAnIdRemovedAndPutAgainWithItsNewRevision() {
        for (String id : List.of(new UUID(7, 8).toString(), "inq-1")) {
            // given
            index.put(id, 1, PEOPLE.get(0));
            index.remove(id);
            assertThat(index.revision(id)).isEmpty();
            assertThat(index.assess(id, PEOPLE.get(0))).isEmpty();
            assertThat(index.candidatesFor(PEOPLE.get(0))).isEmpty();

            // when
            index.put(id, 2, PEOPLE.get(1));

            // then
            assertThat(index.revision(id)).hasValue(2);
            assertThat(index.candidatesFor(PEOPLE.get(0))).isEmpty();
            assertThat(index.candidatesFor(PEOPLE.get(1))).extracting(Candidate::inquiryId).containsExactly(id);
            assertThat(index.assess(id, PEOPLE.get(1)))
                    .hasValueSatisfying(assessment -> assertThat(assessment.outcome()).isEqualTo(Outcome.AUTO_MATCH));
            index.remove(id);
        }
        assertThat(index.size()).isZero();
    }

    @Test
    void shouldKeepIdsThatDifferOnlyInTheirWritingApart() {
        // given: the same UUID written three ways, and a look-alike that is not hex
        String canonical = new UUID(0x5d0f2c4e9a1b3c2dL, 0x8e7f0a1b2c3d4e5fL).toString();
        String capitals = canonical.toUpperCase();
        String braced = "{" + canonical + "}";
        String notHex = canonical.substring(0, 35) + "g";
        index.put(canonical, 1, PEOPLE.get(0));
        index.put(capitals, 2, PEOPLE.get(0));
        index.put(braced, 3, PEOPLE.get(0));
        index.put(notHex, 4, PEOPLE.get(0));

        // when
        index.remove(capitals);

        // then
        assertThat(index.size()).isEqualTo(3);
        assertThat(index.revision(canonical)).hasValue(1);
        assertThat(index.revision(capitals)).isEmpty();
        assertThat(index.revision(braced)).hasValue(3);
        assertThat(index.revision(notHex)).hasValue(4);
        assertThat(index.candidatesFor(PEOPLE.get(0))).extracting(Candidate::inquiryId)
                .containsExactlyInAnyOrder(canonical, braced, notHex);
    }

    @Test
    void shouldNeverReportTheIdOfAnInquiryThatTookTheSlotOfTheOneScored() throws Exception {
        // given: inquiries about one person, and a writer that keeps freeing slots and handing them to inquiries about
        // another, so a reader scoring the first person meets slots that change hands under it
        PersonDescription sought = PEOPLE.get(0);
        PersonDescription other = PEOPLE.get(1);
        for (int i = 0; i < 200; i++) {
            index.put(new UUID(0xA, -i - 1).toString(), 1, sought);
        }
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        ConcurrentLinkedQueue<String> wrong = new ConcurrentLinkedQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(3);
        try {
            Future<?> writer = threads.submit(() -> {
                for (long i = 0; running.get(); i++) {
                    String aboutSought = new UUID(0xA, i).toString();
                    String aboutOther = new UUID(0xB, i).toString();
                    index.put(aboutSought, 1, sought);
                    index.remove(aboutSought);
                    index.put(aboutOther, 2, other);
                    index.remove(aboutOther);
                    index.put("other-" + (i % 50), 2, other);
                    index.remove("other-" + (i % 50));
                }
            });
            for (int r = 0; r < 2; r++) {
                threads.submit(() -> {
                    long last = 0;
                    while (running.get()) {
                        for (Candidate candidate : index.candidatesFor(sought)) {
                            String id = candidate.inquiryId();
                            if (!id.startsWith("00000000-0000-000a-")) {
                                wrong.add("reported " + id);
                            } else {
                                last = UUID.fromString(id).getLeastSignificantBits();
                            }
                        }
                        OptionalInt revision = index.revision(new UUID(0xA, last).toString());
                        if (revision.isPresent() && revision.getAsInt() != 1) {
                            wrong.add("revision " + revision.getAsInt() + " for " + last);
                        }
                        OptionalInt otherRevision = index.revision(new UUID(0xB, last).toString());
                        if (otherRevision.isPresent() && otherRevision.getAsInt() != 2) {
                            wrong.add("revision " + otherRevision.getAsInt() + " for the other " + last);
                        }
                        reads.incrementAndGet();
                    }
                });
            }

            // when
            await().atMost(Duration.ofMinutes(3)).untilAsserted(() -> assertThat(reads.get()).isGreaterThan(3_000));
            running.set(false);
            writer.get(1, TimeUnit.MINUTES);

            // then
            assertThat(wrong).as("ids or revisions of an inquiry that was not the one scored or looked up").isEmpty();
            assertThat(index.size()).isEqualTo(200);
        } finally {
            running.set(false);
            threads.shutdownNow();
        }
    }

    private void assertAgrees(Map<String, int[]> model, List<String> ids) {
        assertThat(index.size()).isEqualTo(model.size());
        for (String id : ids) {
            int[] expected = model.get(id);
            if (expected == null) {
                assertThat(index.revision(id)).as("revision of %s", id).isEmpty();
            } else {
                assertThat(index.revision(id)).as("revision of %s", id).hasValue(expected[0]);
            }
        }
        for (int who = 0; who < PEOPLE.size(); who++) {
            List<String> about = new ArrayList<>();
            for (Map.Entry<String, int[]> entry : model.entrySet()) {
                if (entry.getValue()[1] == who) {
                    about.add(entry.getKey());
                }
            }
            assertThat(index.candidatesFor(PEOPLE.get(who))).extracting(Candidate::inquiryId)
                    .as("candidates for person %d", who).containsExactlyInAnyOrderElementsOf(about);
        }
    }

    private static PersonDescription person(String surname, String given, LocalDate born) {
        return new PersonDescription(List.of(new Name(surname, given, null)), born, null, null);
    }
}
