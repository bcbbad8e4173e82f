package org.homecoming.reunification.matching;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Every distinct written name part seen so far, transliterated and prepared once, so that repeated
 * surnames and given names share one {@link NameToken}. Thread-safe. The caches stop growing past a bound,
 * after which new spellings are prepared on each use instead of stored.
 */
final class NameVocabulary {

    private static final int MAX_ENTRIES = 2_000_000;

    private final GivenNames givenNames;
    private final SurnameEquivalents surnames;
    private final ConcurrentHashMap<String, NameToken> byWritten = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, NameToken> byCanonical = new ConcurrentHashMap<>();

    NameVocabulary(GivenNames givenNames, SurnameEquivalents surnames) {
        this.givenNames = givenNames;
        this.surnames = surnames;
    }

    /** The prepared token of one written name part under one reading, or null if it has no letters. */
    NameToken token(String written, Transliteration.Reading reading) {
        String key = reading.ordinal() + written;
        NameToken cached = byWritten.get(key);
        if (cached != null) {
            return cached;
        }
        String latin = Transliteration.latin(written, reading);
        if (latin.isEmpty()) {
            return null;
        }
        // spellings that differ only in romanisation (mykola/mikola) share one token
        String canonical = Spelling.canonical(latin);
        NameToken token = byCanonical.get(canonical);
        if (token == null) {
            token = new NameToken(latin, givenNames, surnames);
            if (byCanonical.size() < MAX_ENTRIES) {
                NameToken raced = byCanonical.putIfAbsent(canonical, token);
                token = raced != null ? raced : token;
            }
        }
        if (byWritten.size() < MAX_ENTRIES) {
            byWritten.putIfAbsent(key, token);
        }
        return token;
    }
}
