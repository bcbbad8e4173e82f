package org.homecoming.reunification.inquiries;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.homecoming.events.audit.AuditAction;
import org.homecoming.events.common.PersonName;
import org.homecoming.events.reunification.InquiryRegistered;
import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Relative;
import org.homecoming.events.reunification.SoughtPerson;
import org.homecoming.platform.audit.AuditTrail;
import org.homecoming.reunification.contactkeys.ContactKeyVault;
import org.homecoming.reunification.contactkeys.ContactSeal;
import org.homecoming.reunification.contactkeys.TestContactKeys;
import org.homecoming.reunification.inquiries.ContactDataErasures.Reason;
import org.homecoming.reunification.inquiries.ContactDataRetention.Swept;
import org.homecoming.reunification.inquiries.InquiryForm.NameForm;
import org.homecoming.reunification.inquiries.InquiryForm.RelativeForm;
import org.homecoming.testkit.MovableClock;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.StaticListableBeanFactory;
import org.springframework.kafka.core.KafkaOperations;
import org.springframework.kafka.core.KafkaOperations.OperationsCallback;
import org.springframework.kafka.core.KafkaTemplate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

/** The retention period, with a clock the test moves and Kafka replaced by a list of what was sent. */
class ContactDataRetentionTest {

    static final Duration AFTER_WITHDRAWAL = Duration.ofDays(30);
    static final Duration AFTER_LAST_CHANGE = Duration.ofDays(365);

    final MovableClock clock = new MovableClock(Instant.parse("2026-03-01T08:00:00Z"));
    final List<Sent> sent = new ArrayList<>();
    final List<String> audited = new ArrayList<>();
    /** Whether the audit trail takes no entry now (its broker away): the erasure hook then throws, as the trail does. */
    boolean trailAway;
    /** Whether a transaction's commit fails now (the broker went away after its records were sent). */
    boolean commitFails;
    /** While not null, an audit entry's write hangs until it is counted down or its thread interrupted (a broker failover). */
    volatile CountDownLatch trailHangs;
    /** How many audit writes are hanging now. */
    final AtomicInteger writesHanging = new AtomicInteger();
    /** Whether a hanging audit write was interrupted (the service's stop reached the sweep). */
    final CountDownLatch hangingWriteInterrupted = new CountDownLatch(1);
    final java.nio.file.Path keys = TestContactKeys.newDirectory();
    final ContactKeyVault vault = TestContactKeys.vault(keys);
    final ContactSeal seal = new ContactSeal(vault, clock);
    final InquiryBook book = new InquiryBook();
    final InquiryService inquiries = new InquiryService(kafka(), book, clock, seal, mock(AuditTrail.class));
    final InquiryErasure erasure = new InquiryErasure(inquiries, vault, new StaticListableBeanFactory(Map.of("audit",
            (ContactDataErasures) (inquiryId, by, reason) -> {
                if (trailAway) {
                    throw new AuditTrail.AuditUnavailableException(AuditAction.ERASED, new IllegalStateException("broker away"));
                }
                hangWhileTheTrailHangs();
                audited.add(inquiryId + " " + by + " " + reason);
            }))
            .getBeanProvider(ContactDataErasures.class), clock);
    final ContactDataRetention retention = new ContactDataRetention(book, inquiries, erasure, vault, clock,
            AFTER_WITHDRAWAL, AFTER_LAST_CHANGE, Duration.ofHours(1), Duration.ofMinutes(1));

    record Sent(String key, Object value) {
    }

    @Test
    void shouldDestroyAWithdrawnInquirysKeyOnlyWhenItsRetentionPeriodEnds() {
        // given: an inquiry, withdrawn
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryRegistered sealed = lastSent(inquiryId);
        inquiries.withdraw(inquiryId);

        // when: 29 days pass
        clock.advance(Duration.ofDays(29));
        assertThat(retention.sweep()).isEqualTo(new Swept(0, 0));
        assertThat(seal.open(sealed)).as("still readable within the period").isPresent();

        // then: after 30 days its key is gone for good
        clock.advance(Duration.ofDays(1));
        assertThat(retention.sweep()).isEqualTo(new Swept(0, 1));
        assertThat(vault.isErased(inquiryId)).isTrue();
        assertThat(vault.holdsKey(inquiryId)).isFalse();
        assertThat(seal.open(sealed)).isEmpty();
        assertThat(audited).containsExactly(inquiryId + " " + ContactDataErasures.RETENTION + " " + Reason.RETENTION_ENDED);
    }

    @Test
    void shouldEraseAnOpenInquiryThatNobodyChangedForTheWholePeriod() {
        // given: two open inquiries, one updated later
        String idle = register("Олена Петренко", "olena@example.org");
        clock.advance(Duration.ofDays(100));
        String recent = register("Ірина Коваленко", "iryna@example.org");

        // when: a year after the first one
        clock.advance(AFTER_LAST_CHANGE.minus(Duration.ofDays(100)));
        Swept swept = retention.sweep();

        // then: the idle one is erased and withdrawn; the other stays readable
        assertThat(swept.erased()).isEqualTo(1);
        assertThat(vault.isErased(idle)).isTrue();
        assertThat(inquiries.isWithdrawn(idle)).isTrue();
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Sent(idle, null));
        assertThat(seal.open(lastSent(recent))).isPresent();
    }

    @Test
    void shouldFinishAnErasureWhoseKeyWasDestroyedBeforeItsTombstoneWasWritten() {
        // given an open inquiry whose erasure destroyed its key, then could not write its tombstone (it lost every
        // attempt to another instance's writes of the inquiry, or the broker was away)
        String inquiryId = register("Олена Петренко", "olena@example.org");
        vault.destroy(inquiryId, clock.instant());
        assertThat(inquiries.find(inquiryId)).as("still open on the topic, matched and alerted for").isPresent();

        // when the next sweep runs
        Swept swept = retention.sweep();

        // then it finishes the erasure: the tombstone is written and the erasure recorded with it
        assertThat(swept.erased()).isEqualTo(1);
        assertThat(inquiries.isWithdrawn(inquiryId)).isTrue();
        assertThat(sent.get(sent.size() - 1)).isEqualTo(new Sent(inquiryId, null));
        assertThat(audited).containsExactly(inquiryId + " " + ContactDataErasures.RETENTION + " " + Reason.COMPLETED);
        // and nothing is left for the sweep after it
        assertThat(retention.sweep().erased()).isZero();
        assertThat(audited).hasSize(1);
    }

    @Test
    void shouldEraseAWithdrawnInquiryAtOnceAndPutItOnTheAuditTrailOnceTheTrailIsBack() {
        // given: a withdrawn inquiry, and an audit trail that takes no entry now (its broker is away)
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryRegistered sealed = lastSent(inquiryId);
        inquiries.withdraw(inquiryId);
        trailAway = true;

        // when: the relative asks to be forgotten, the caller is told it failed (the trail's 503)
        assertThatThrownBy(() -> erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED))
                .isInstanceOf(AuditTrail.AuditUnavailableException.class);

        // then: the erasure itself is done: the contact data cannot be read any more
        assertThat(vault.isErased(inquiryId)).as("left undone for want of its audit entry").isTrue();
        assertThat(seal.open(sealed)).isEmpty();
        assertThat(audited).isEmpty();

        // and when the trail is back, the next sweep puts it on the trail, as asked by whom it was asked, once
        trailAway = false;
        retention.sweep();
        assertThat(audited).containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
        retention.sweep();
        erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED);
        assertThat(audited).as("erasing it again records nothing more").hasSize(1);
    }

    @Test
    void shouldEraseAnOpenInquiryAtOnceAndWithdrawAndRecordItOnceTheTrailIsBack() {
        // given: an open inquiry, and an audit trail that takes no entry now
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryRegistered sealed = lastSent(inquiryId);
        trailAway = true;

        // when: the relative asks to be forgotten, the caller is told it failed
        assertThatThrownBy(() -> erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED))
                .isInstanceOf(AuditTrail.AuditUnavailableException.class);

        // then: the key is destroyed already (no alert can be sent: the address cannot be read)
        assertThat(vault.isErased(inquiryId)).as("left undone for want of its audit entry").isTrue();
        assertThat(seal.open(sealed)).isEmpty();

        // and when the trail is back, the next sweep withdraws it and records the erasure as it was asked, once
        trailAway = false;
        retention.sweep();
        assertThat(inquiries.isWithdrawn(inquiryId)).isTrue();
        assertThat(audited).containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
        retention.sweep();
        erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED);
        assertThat(audited).as("erasing it again records nothing more").hasSize(1);
    }

    @Test
    void shouldTellTheHotlineThatTheContactDataIsErasedWhenOnlyItsAuditEntryIsOwed() {
        // given: an inquiry, and an audit trail that takes no entry now
        String inquiryId = register("Олена Петренко", "olena@example.org");
        trailAway = true;

        // when: the hotline sends the relative's request to be forgotten
        var answer = new InquiryErasureController(erasure).erase(inquiryId,
                new org.springframework.security.authentication.TestingAuthenticationToken("hotline-1", null));

        // then: 503, saying the data is erased and only the entry is owed (not "it was not done")
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(((org.springframework.http.ProblemDetail) answer.getBody()).getDetail())
                .contains("is erased").contains("cannot record the erasure now");
    }

    @Test
    void shouldAuditAnErasureOfAnOpenInquiryThatAnotherInstanceWithdrewBeforeItsTombstone() {
        // given: an open inquiry, and an erasure that reads it open, then (just as it destroys the key) reads the
        // withdrawal another instance committed: its tombstone has nothing to write
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryErasure racing = new InquiryErasure(inquiries, vault, new StaticListableBeanFactory(Map.of("audit",
                (ContactDataErasures) (id, by, reason) -> audited.add(id + " " + by + " " + reason)))
                .getBeanProvider(ContactDataErasures.class), new java.time.Clock() {
                    @Override
                    public Instant instant() {
                        // the erasure asks the time for the key's marker right after it read the inquiry open
                        book.apply(inquiryId, null);
                        return clock.instant();
                    }

                    @Override
                    public java.time.ZoneId getZone() {
                        return java.time.ZoneOffset.UTC;
                    }

                    @Override
                    public java.time.Clock withZone(java.time.ZoneId zone) {
                        return this;
                    }
                });

        // when: the relative's erasure is asked
        var answer = new InquiryErasureController(racing).erase(inquiryId,
                new org.springframework.security.authentication.TestingAuthenticationToken("hotline-1", null));

        // then: it is erased and on the audit trail, once, as asked; no entry is left owed, and none is written again
        assertThat(answer.getStatusCode().value()).isEqualTo(204);
        assertThat(vault.isErased(inquiryId)).isTrue();
        assertThat(audited).as("the erasure's audit entry").containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
        assertThat(vault.auditsPending()).isEmpty();
        retention.sweep();
        assertThat(audited).hasSize(1);
    }

    @Test
    void shouldTellTheHotlineTheContactDataIsErasedWhenTheBrokerWentAwayAtTheTombstonesCommit() {
        // given: an open inquiry, and a broker that goes away before the commit of the tombstone and its entry
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryRegistered sealed = lastSent(inquiryId);
        commitFails = true;

        // when: the hotline sends the relative's request to be forgotten
        var answer = new InquiryErasureController(erasure).erase(inquiryId,
                new org.springframework.security.authentication.TestingAuthenticationToken("hotline-1", null));

        // then: 503 saying the data is erased (the key is destroyed), not a 500 that lets the hotline think it was not
        assertThat(answer.getStatusCode().value()).isEqualTo(503);
        assertThat(((org.springframework.http.ProblemDetail) answer.getBody()).getDetail())
                .contains("is erased").contains("written by the next retention sweep");
        assertThat(seal.open(sealed)).isEmpty();
        audited.clear(); // sent in the transaction whose commit failed: not on the trail

        // and once the broker is back, the sweep withdraws it and records the erasure as it was asked, once
        commitFails = false;
        retention.sweep();
        assertThat(inquiries.isWithdrawn(inquiryId)).isTrue();
        assertThat(audited).containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
    }

    @Test
    void shouldWriteTheEntryAnErasureOwedWhenTheServiceStartsAgainAfterACrash() {
        // given: an erasure that destroyed the key and whose instance stopped before writing the entry
        String inquiryId = withdrawnAndErasedWhileTheTrailWasAway();

        // when: the service starts again on the same vault, and its first sweep runs
        ContactKeyVault restartedVault = TestContactKeys.vault(keys);
        InquiryErasure restartedErasure = new InquiryErasure(inquiries, restartedVault, new StaticListableBeanFactory(Map.of("audit",
                (ContactDataErasures) (id, by, reason) -> audited.add(id + " " + by + " " + reason)))
                .getBeanProvider(ContactDataErasures.class), clock);
        new ContactDataRetention(book, inquiries, restartedErasure, restartedVault, clock,
                AFTER_WITHDRAWAL, AFTER_LAST_CHANGE, Duration.ofHours(1), Duration.ofMinutes(1)).sweep();

        // then: the erasure is on the trail, once
        assertThat(audited).containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
        assertThat(restartedVault.auditsPending()).isEmpty();
    }

    @Test
    void shouldDeleteAKeyFileAnEarlierErasureLeftBehindWhenTheInquiryIsErasedAgain() throws java.io.IOException {
        // given: a withdrawn inquiry erased, whose key file the destroy's delete failed to remove (restored here)
        String inquiryId = register("Олена Петренко", "olena@example.org");
        inquiries.withdraw(inquiryId);
        java.nio.file.Path keyFile;
        try (var files = java.nio.file.Files.walk(keys.resolve("vault").resolve("keys"))) {
            keyFile = files.filter(java.nio.file.Files::isRegularFile).findFirst().orElseThrow();
        }
        byte[] wrappedKey = java.nio.file.Files.readAllBytes(keyFile);
        erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED);
        java.nio.file.Files.write(keyFile, wrappedKey);

        // when: the relative's erasure is asked again
        erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED);

        // then: the wrapped key is gone from the disk, and the erasure is on the trail once
        assertThat(keyFile).as("the wrapped key left on disk").doesNotExist();
        assertThat(audited).containsExactly(inquiryId + " hotline-1 " + Reason.REQUESTED);
    }

    @Test
    void shouldListAnInquiryDueForRenewalAndKeepItAnotherPeriodOnceTheFamilyRenewsIt() {
        // given: a family waiting since the start, and one that asked 100 days later
        Instant start = clock.instant();
        String waiting = register("Олена Петренко", "olena@example.org");
        clock.advance(Duration.ofDays(100));
        String later = register("Ірина Коваленко", "iryna@example.org");

        // when: 340 days after the first registration
        clock.advance(Duration.ofDays(240));

        // then the hotline is shown the first, kept 25 more days, and not the second
        assertThat(retention.renewalsDue(Duration.ofDays(30)))
                .containsExactly(new ContactDataRetention.RenewalDue(waiting, start.plus(AFTER_LAST_CHANGE)));

        // when the family, called, still searches
        int revision = lastSent(waiting).getRevision();
        InquiryRegistered renewed = inquiries.renew(waiting);

        // then it is published again as it was, under the same revision (matching does not run again), renewed now
        assertThat(lastSent(waiting).getRevision()).isEqualTo(revision);
        assertThat(lastSent(waiting).getUpdatedAt()).isEqualTo(clock.instant());
        assertThat(retention.keptUntil(renewed)).isEqualTo(clock.instant().plus(AFTER_LAST_CHANGE));
        assertThat(retention.renewalsDue(Duration.ofDays(30))).isEmpty();

        // and the sweep leaves it a year after its registration, and erases it a year after its renewal
        clock.advance(Duration.ofDays(30));
        assertThat(retention.sweep().erased()).isZero();
        assertThat(seal.open(lastSent(waiting))).isPresent();
        clock.advance(AFTER_LAST_CHANGE);
        assertThat(retention.sweep().erased()).isEqualTo(2);
        assertThat(vault.isErased(waiting)).isTrue();
        assertThat(vault.isErased(later)).isTrue();
    }

    @Test
    void shouldLeaveAnInquiryThatIsNoLongerDueOnceItsLatestRecordIsRead() {
        // given an inquiry past its period, which the family renewed through another instance as the sweep ran
        String renewedElsewhere = register("Олена Петренко", "olena@example.org");
        clock.advance(AFTER_LAST_CHANGE.plusDays(1));

        // when the erasure, reading the inquiry again, finds it no longer due
        boolean erased = erasure.eraseIf(renewedElsewhere, ContactDataErasures.RETENTION, Reason.RETENTION_ENDED, latest -> false);

        // then nothing is destroyed
        assertThat(erased).isFalse();
        assertThat(vault.isErased(renewedElsewhere)).isFalse();
        assertThat(inquiries.isWithdrawn(renewedElsewhere)).isFalse();
    }

    @Test
    void shouldRefuseToRenewAWithdrawnInquiry() {
        String withdrawn = register("Олена Петренко", "olena@example.org");
        inquiries.withdraw(withdrawn);

        assertThatThrownBy(() -> inquiries.renew(withdrawn)).isInstanceOf(InquiryService.InquiryConflictException.class);
    }

    @Test
    void shouldSealAnInquiryWrittenInPlaintextUnderTheSameRevision() {
        // given: an inquiry as an earlier version wrote it
        Instant at = clock.instant();
        InquiryRegistered plain = new InquiryRegistered("inq-old", 3, SoughtPerson.newBuilder()
                .setNames(List.of(new PersonName("Ткаченко", "Оксана", null))).build(),
                Relative.newBuilder().setName("Ольга").setRelationship("mother").setLanguage(Language.RU).setConsentGiven(true)
                        .setPhone("+380501234567").build(), at, at, null);
        book.apply("inq-old", plain);

        // when
        Swept swept = retention.sweep();

        // then
        assertThat(swept.sealed()).isEqualTo(1);
        InquiryRegistered republished = lastSent("inq-old");
        assertThat(republished.getRevision()).isEqualTo(3);
        assertThat(republished.getRelative().getPhone()).isNull();
        assertThat(republished.getRelative().getSealed()).isNotNull();
        assertThat(seal.open(republished)).contains(plain);
        assertThat(retention.sweep().sealed()).as("once").isZero();
    }

    @Test
    void shouldNotTakeAWithdrawnInquiryAgainOnceCompactionRemovedItsTombstone() {
        // given: an inquiry, withdrawn; a day later compaction removed its records and tombstone, and the service restarted
        String inquiryId = register("Олена Петренко", "olena@example.org");
        inquiries.withdraw(inquiryId);
        clock.advance(Duration.ofDays(2));
        InquiryService restarted = new InquiryService(kafka(), new InquiryBook(), clock, new ContactSeal(
                TestContactKeys.vault(keys), clock), mock(AuditTrail.class));
        sent.clear();

        // when: a client re-sends the registration it made before
        // then: it is refused as withdrawn, and nothing is published: the family asked for no more news
        assertThatThrownBy(() -> restarted.register(null, form("Олена Петренко", "olena@example.org")))
                .isInstanceOf(InquiryService.InquiryConflictException.class).hasMessageContaining("withdrawn");
        assertThat(sent).isEmpty();
    }

    @Test
    void shouldDestroyAnOrphanKeyOnlyAfterTwoSweepsFoundNoInquiry() {
        // given: a key made for an inquiry whose record never reached the topic (the book was rebuilt without it)
        String inquiryId = register("Олена Петренко", "olena@example.org");
        InquiryRegistered sealed = lastSent(inquiryId);
        InquiryService restarted = new InquiryService(kafka(), book, clock, seal, mock(AuditTrail.class));
        ContactDataRetention afterRestart = new ContactDataRetention(book, restarted,
                new InquiryErasure(restarted, vault, new StaticListableBeanFactory().getBeanProvider(ContactDataErasures.class), clock),
                vault, clock, AFTER_WITHDRAWAL, AFTER_LAST_CHANGE, Duration.ofHours(1), Duration.ofMinutes(1));

        // when: the period passes and a first sweep finds no inquiry
        clock.advance(AFTER_WITHDRAWAL);
        assertThat(afterRestart.sweep().erased()).isZero();

        // then: the next sweep destroys it
        assertThat(afterRestart.sweep().erased()).isEqualTo(1);
        assertThat(seal.open(sealed)).isEmpty();
    }

    @Test
    void shouldStopWithoutWaitingForASweepThatWaitsOnTheAuditTrail() throws Exception {
        // given: a withdrawn inquiry erased while the audit trail was away (its entry owed), and a trail whose next write
        // hangs (a broker failover)
        String inquiryId = withdrawnAndErasedWhileTheTrailWasAway();
        trailHangs = new CountDownLatch(1);
        // and a retention whose first sweep runs at once and hangs writing that entry
        ContactDataRetention running = new ContactDataRetention(book, inquiries, erasure, vault, clock,
                AFTER_WITHDRAWAL, AFTER_LAST_CHANGE, Duration.ofHours(1), Duration.ZERO);
        running.start();
        ExecutorService lifecycle = Executors.newSingleThreadExecutor();
        try {
            await().atMost(Duration.ofSeconds(10)).alias("the sweep writes the owed entry").until(() -> writesHanging.get() > 0);

            // when: the service stops
            Future<Boolean> stopped = lifecycle.submit(() -> {
                running.stop();
                return running.isRunning();
            });

            // then: it stops while the sweep still waits on the trail (before, stop and isRunning took the sweep's
            // monitor and waited for it), and the sweep's thread is told to stop
            assertThat(stopped.get(5, TimeUnit.SECONDS)).as("running after stop").isFalse();
            assertThat(hangingWriteInterrupted.await(5, TimeUnit.SECONDS)).as("the sweep's hanging write interrupted").isTrue();
            // the entry stays owed for the next start's sweep
            assertThat(vault.auditPending(inquiryId)).isPresent();
            assertThat(audited).isEmpty();
        } finally {
            trailHangs.countDown();
            lifecycle.shutdownNow();
            running.stop();
        }
    }

    void hangWhileTheTrailHangs() {
        CountDownLatch hang = trailHangs;
        if (hang == null) {
            return;
        }
        writesHanging.incrementAndGet();
        try {
            hang.await();
        } catch (InterruptedException e) {
            hangingWriteInterrupted.countDown();
            Thread.currentThread().interrupt();
            throw new AuditTrail.AuditUnavailableException(AuditAction.ERASED, e);
        }
    }

    /** An inquiry withdrawn, then erased at the hotline's request while the trail was away: its audit entry owed. */
    String withdrawnAndErasedWhileTheTrailWasAway() {
        String inquiryId = register("Олена Петренко", "olena@example.org");
        inquiries.withdraw(inquiryId);
        trailAway = true;
        assertThatThrownBy(() -> erasure.erase(inquiryId, "hotline-1", Reason.REQUESTED))
                .isInstanceOf(AuditTrail.AuditUnavailableException.class);
        trailAway = false;
        return inquiryId;
    }

    String register(String name, String email) {
        return inquiries.register(null, form(name, email)).inquiryId();
    }

    static InquiryForm form(String name, String email) {
        return new InquiryForm(new InquiryForm.Sought(List.of(new NameForm("Петренко", "Олександр", null)),
                "1990-04-12", null, null, "SOLDIER", null, null, null),
                new RelativeForm(name, "wife", "uk", true, email, null));
    }

    InquiryRegistered lastSent(String key) {
        return sent.stream().filter(record -> record.key().equals(key) && record.value() != null)
                .map(record -> (InquiryRegistered) record.value()).reduce((first, second) -> second).orElseThrow();
    }

    @SuppressWarnings("unchecked")
    KafkaTemplate<String, Object> kafka() {
        KafkaTemplate<String, Object> kafka = mock(KafkaTemplate.class);
        KafkaOperations<String, Object> operations = mock(KafkaOperations.class);
        when(operations.send(anyString(), anyString(), any())).thenAnswer(invocation -> {
            sent.add(new Sent(invocation.getArgument(1), invocation.getArgument(2)));
            return CompletableFuture.completedFuture(null);
        });
        when(kafka.executeInTransaction(any())).thenAnswer(invocation -> {
            Object sentInIt = invocation.<OperationsCallback<String, Object, Object>>getArgument(0).doInOperations(operations);
            if (commitFails) {
                throw new org.apache.kafka.common.KafkaException("the broker went away before the commit");
            }
            return sentInIt;
        });
        return kafka;
    }
}
