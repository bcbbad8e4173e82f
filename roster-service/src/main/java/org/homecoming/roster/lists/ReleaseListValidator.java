package org.homecoming.roster.lists;

import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.ResolverStyle;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.homecoming.events.common.PersonCategory;
import org.homecoming.events.common.Side;
import org.homecoming.platform.web.Violation;
import org.homecoming.platform.web.EntityId;
import org.homecoming.platform.web.PlainText;
import org.homecoming.roster.rounds.ExchangeRound;

/**
 * The rules a release list must pass before anything is published. Every rule is checked on every row,
 * so one answer lists all that is wrong and a list system can fix the whole file in one go.
 *
 * <p>Two steps: {@link #entries} checks each row and the list on its own; {@link #againstRound} checks the
 * list against its round and the round's other lists.
 */
final class ReleaseListValidator {

    static final int MAX_TEXT = 200;
    private static final LocalDate EARLIEST = LocalDate.of(1900, 1, 1);
    private static final List<DateTimeFormatter> DATE_FORMATS = List.of(
            DateTimeFormatter.ofPattern("uuuu-MM-dd").withResolverStyle(ResolverStyle.STRICT),
            DateTimeFormatter.ofPattern("dd.MM.uuuu").withResolverStyle(ResolverStyle.STRICT));

    private ReleaseListValidator() {
    }

    /** The valid entries of an upload, and every violation found in its rows. */
    record Checked(List<ListEntry> entries, List<Violation> violations) {
    }

    static Checked entries(ListUpload upload, LocalDate today) {
        List<Violation> violations = new ArrayList<>(upload.formatViolations());
        if (!EntityId.isValid(upload.listId())) {
            violations.add(Violation.of("listId", upload.listId() == null ? "is required" : "must be " + EntityId.RULE));
        }
        List<ListEntry> entries = new ArrayList<>(upload.rows().size());
        Map<String, Integer> firstRowOfPerson = new HashMap<>();
        for (ListRow row : upload.rows()) {
            int before = violations.size();
            ListEntry entry = entry(row, today, violations);
            String personId = row.value(ListColumn.PERSON_ID);
            if (personId != null) {
                Integer first = firstRowOfPerson.putIfAbsent(personId, row.row());
                if (first != null) {
                    violations.add(Violation.atRow(row.row(), row.field(ListColumn.PERSON_ID),
                            "person " + personId + " is already on row " + first + " of this list"));
                }
            }
            if (entry != null && violations.size() == before) {
                entries.add(entry);
            }
        }
        return new Checked(entries, violations);
    }

    /**
     * The violations of a list against its round: the round must exist and still take lists, the side must
     * be the round's, no person may be on another list of the round nor on a list of another open round, and the
     * round's lists together may not hold more soldiers or civilians than planned.
     *
     * <p>Why one open round per person: a person's listing is one state downstream (reunification matches and alerts by
     * person), so a WITHDRAWN from one round's list, or that round's cancellation, would take off a person the other
     * round still lists, and a relative would never hear of their arrival. A person on a list of a COMPLETED round may
     * be listed again, as the same person by the same side: someone listed but not exchanged that day goes on the next
     * round's list.
     *
     * @param current       the list's current version, or null for a new list
     * @param others        the round's other lists
     * @param openElsewhere the lists of the other rounds that are still PLANNED or IN_PROGRESS
     */
    static List<Violation> againstRound(String roundId, ExchangeRound round, ListUpload upload, ReleaseList current,
                                        Collection<ReleaseList> others, Collection<ReleaseList> openElsewhere,
                                        List<ListEntry> entries) {
        return againstRound(roundId, round, upload, current, others, openElsewhere, entries, personId -> List.of());
    }

    /**
     * As above, and no id may name another person than it named in another round: one listed there by the other
     * releasing side, or with other names or birth date. Reunification and transport keep a person's progress by id
     * (handed over, admitted): an id reused for someone else would tell his family he crossed and was admitted while
     * he is still held.
     *
     * @param listedOutside how each person id was listed in the other rounds, withdrawn or not, open or closed
     */
    static List<Violation> againstRound(String roundId, ExchangeRound round, ListUpload upload, ReleaseList current,
                                        Collection<ReleaseList> others, Collection<ReleaseList> openElsewhere,
                                        List<ListEntry> entries, Function<String, List<ReleaseLists.Listing>> listedOutside) {
        List<Violation> violations = new ArrayList<>();
        if (round == null) {
            violations.add(Violation.of("roundId", "there is no exchange round " + roundId));
            return violations;
        }
        if (!round.acceptsLists()) {
            violations.add(Violation.of("roundId", "round " + roundId + " is " + round.status()
                    + ": lists can be published only while a round is PLANNED or IN_PROGRESS"));
        }
        Side side = upload.releasingSide();
        if (side != null && side != round.releasingSide()) {
            violations.add(Violation.of("releasingSide", "round " + roundId + " is released by "
                    + round.releasingSide() + ", not " + side));
        }
        if (current != null && !current.roundId().equals(roundId)) {
            violations.add(Violation.of("listId", "list " + current.listId() + " belongs to round " + current.roundId()));
        }
        // not when the upload had problems of its shape (its header, its size, a row's field count): those are answered
        if (current == null && upload.rows().isEmpty() && upload.formatViolations().isEmpty()) {
            violations.add(Violation.of("entries", "a new list needs at least one person"));
        }
        Map<String, ReleaseList> inThisRound = listOfPerson(others);
        Map<String, ReleaseList> inOpenRounds = listOfPerson(openElsewhere);
        Map<String, ListRow> rowOfPerson = new HashMap<>();
        upload.rows().forEach(row -> rowOfPerson.putIfAbsent(row.value(ListColumn.PERSON_ID), row));
        for (ListEntry entry : entries) {
            ListRow row = rowOfPerson.get(entry.personId());
            ReleaseList other = inThisRound.get(entry.personId());
            if (other != null) {
                violations.add(Violation.atRow(row.row(), row.field(ListColumn.PERSON_ID), "person " + entry.personId()
                        + " is already on list " + other.listId() + " of round " + roundId));
            }
            boolean alreadyHere = current != null && current.entries().containsKey(entry.personId());
            if (alreadyHere) {
                continue;
            }
            Optional<String> otherPerson = otherPerson(entry, round.releasingSide(), listedOutside.apply(entry.personId()));
            if (otherPerson.isPresent()) {
                violations.add(Violation.atRow(row.row(), row.field(ListColumn.PERSON_ID), otherPerson.get()));
                continue;
            }
            ReleaseList open = inOpenRounds.get(entry.personId());
            if (open != null) {
                violations.add(Violation.atRow(row.row(), row.field(ListColumn.PERSON_ID), "person " + entry.personId()
                        + " is already on list " + open.listId() + " of round " + open.roundId()
                        + ", which is still open: withdraw the person there first"));
            }
        }
        checkTotal(PersonCategory.SOLDIER, round.plannedSoldiers(), roundId, others, entries, violations);
        checkTotal(PersonCategory.CIVILIAN, round.plannedCivilians(), roundId, others, entries, violations);
        return violations;
    }

    /** Why {@code entry}'s id names another person elsewhere, or empty when every listing elsewhere is this person. */
    private static Optional<String> otherPerson(ListEntry entry, Side releasingSide, List<ReleaseLists.Listing> elsewhere) {
        for (ReleaseLists.Listing listing : elsewhere) {
            if (listing.releasingSide() != releasingSide) {
                return Optional.of("person " + entry.personId() + " was listed by " + listing.releasingSide() + " on list "
                        + listing.listId() + " of round " + listing.roundId() + ": an id names one person, and the other"
                        + " side's detainee is not this one; give this person another id");
            }
        }
        for (ReleaseLists.Listing listing : elsewhere) {
            if (!samePerson(entry, listing.entry())) {
                return Optional.of("person " + entry.personId() + " was listed on list " + listing.listId() + " of round "
                        + listing.roundId() + " with another name or birth date: an id names one person; give this person"
                        + " another id, or, if it is the same person, list them as they were listed there and correct the"
                        + " entry in an amendment");
            }
        }
        return Optional.empty();
    }

    /**
     * Same names (native script, case aside) and, where both lists know it, birth date: what tells two people apart
     * on a list. A birth date learnt since is no other person.
     */
    private static boolean samePerson(ListEntry one, ListEntry other) {
        return one.surname().equalsIgnoreCase(other.surname()) && one.givenName().equalsIgnoreCase(other.givenName())
                && (one.birthDate() == null || other.birthDate() == null || one.birthDate().equals(other.birthDate()));
    }

    private static Map<String, ReleaseList> listOfPerson(Collection<ReleaseList> lists) {
        Map<String, ReleaseList> listOfPerson = new HashMap<>();
        for (ReleaseList list : lists) {
            list.entries().keySet().forEach(personId -> listOfPerson.put(personId, list));
        }
        return listOfPerson;
    }

    private static void checkTotal(PersonCategory category, int planned, String roundId,
                                   Collection<ReleaseList> others, List<ListEntry> entries, List<Violation> violations) {
        long onThisList = entries.stream().filter(entry -> entry.category() == category).count();
        long onOtherLists = others.stream().mapToLong(list -> list.count(category)).sum();
        if (onThisList + onOtherLists > planned) {
            violations.add(Violation.of("category", (onThisList + onOtherLists) + " " + plural(category)
                    + " would be listed in round " + roundId + " (" + onThisList + " on this list, " + onOtherLists
                    + " on its other lists), more than the " + planned + " planned"));
        }
    }

    private static String plural(PersonCategory category) {
        return category == PersonCategory.SOLDIER ? "soldiers" : "civilians";
    }

    private static ListEntry entry(ListRow row, LocalDate today, List<Violation> violations) {
        int before = violations.size();
        for (ListColumn column : ListColumn.values()) {
            String value = row.value(column);
            if (column.required() && value == null) {
                violations.add(Violation.atRow(row.row(), row.field(column), "is required"));
            } else if (value != null) {
                PlainText.problem(value, MAX_TEXT).ifPresent(reason ->
                        violations.add(Violation.atRow(row.row(), row.field(column), reason)));
            }
        }
        String personId = row.value(ListColumn.PERSON_ID);
        if (personId != null && !EntityId.isValid(personId)) {
            violations.add(Violation.atRow(row.row(), row.field(ListColumn.PERSON_ID), "must be " + EntityId.RULE));
        }
        boolean anyLatin = row.value(ListColumn.SURNAME_LATIN) != null || row.value(ListColumn.GIVEN_NAME_LATIN) != null
                || row.value(ListColumn.PATRONYMIC_LATIN) != null;
        if (anyLatin) {
            for (ListColumn column : List.of(ListColumn.SURNAME_LATIN, ListColumn.GIVEN_NAME_LATIN)) {
                if (row.value(column) == null) {
                    violations.add(Violation.atRow(row.row(), row.field(column),
                            "is required when any part of the Latin name is given"));
                }
            }
        }
        PersonCategory category = category(row, violations);
        LocalDate birthDate = date(row, ListColumn.BIRTH_DATE, today, violations);
        LocalDate captureDate = date(row, ListColumn.CAPTURE_DATE, today, violations);
        if (birthDate != null && captureDate != null && !captureDate.isAfter(birthDate)) {
            violations.add(Violation.atRow(row.row(), row.field(ListColumn.CAPTURE_DATE),
                    "is not after the birth date"));
        }
        if (violations.size() > before) {
            return null;
        }
        return new ListEntry(personId, row.value(ListColumn.SURNAME), row.value(ListColumn.GIVEN_NAME),
                row.value(ListColumn.PATRONYMIC), row.value(ListColumn.SURNAME_LATIN),
                row.value(ListColumn.GIVEN_NAME_LATIN), row.value(ListColumn.PATRONYMIC_LATIN), birthDate, category,
                row.value(ListColumn.UNIT), row.value(ListColumn.CAPTURE_PLACE), captureDate);
    }

    private static PersonCategory category(ListRow row, List<Violation> violations) {
        String value = row.value(ListColumn.CATEGORY);
        if (value == null) {
            return null;
        }
        for (PersonCategory category : PersonCategory.values()) {
            if (category.name().equalsIgnoreCase(value)) {
                return category;
            }
        }
        violations.add(Violation.atRow(row.row(), row.field(ListColumn.CATEGORY),
                "is not a category: SOLDIER or CIVILIAN"));
        return null;
    }

    private static LocalDate date(ListRow row, ListColumn column, LocalDate today, List<Violation> violations) {
        String value = row.value(column);
        if (value == null) {
            return null;
        }
        for (DateTimeFormatter format : DATE_FORMATS) {
            try {
                LocalDate date = LocalDate.parse(value, format);
                if (date.isAfter(today)) {
                    violations.add(Violation.atRow(row.row(), row.field(column), "is in the future"));
                } else if (date.isBefore(EARLIEST)) {
                    violations.add(Violation.atRow(row.row(), row.field(column), "is before 1900"));
                }
                return date;
            } catch (DateTimeParseException tryTheNextFormat) {
                // the value may be in the other accepted format
            }
        }
        violations.add(Violation.atRow(row.row(), row.field(column),
                "is not a date: use yyyy-MM-dd (or dd.MM.yyyy)"));
        return null;
    }
}
