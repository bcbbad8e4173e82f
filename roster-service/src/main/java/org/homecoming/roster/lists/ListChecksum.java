package org.homecoming.roster.lists;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.Comparator;
import java.util.HexFormat;

/**
 * SHA-256 (lower-case hex) over a list's entries sorted by personId, each in its {@link ListEntry#canonical()
 * canonical form}. Row order and CSV quoting do not change it, so a consumer can recompute it from the
 * person events of a version and know it holds exactly the list that was published.
 */
final class ListChecksum {

    private ListChecksum() {
    }

    static String of(Collection<ListEntry> entries) {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("Every Java runtime has SHA-256", e);
        }
        entries.stream()
                .sorted(Comparator.comparing(ListEntry::personId))
                .forEach(entry -> sha256.update(entry.canonical().getBytes(StandardCharsets.UTF_8)));
        return HexFormat.of().formatHex(sha256.digest());
    }
}
