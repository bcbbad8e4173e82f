package org.homecoming.reunification.alerts;

import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The hosts an alert may reach without encryption: this host, and the ones an operator names in
 * {@code reunification.delivery.clear-text-hosts} (a relay on a network only this service reaches, a sink in a
 * compose network). An alert carries a relative's address or number and news of a detainee; anywhere else it goes
 * encrypted, to a server whose identity is checked.
 *
 * <p>Host names are compared as written, never resolved: a name that resolves to this host today may not tomorrow.
 */
record ClearTextHosts(List<String> named) {

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    ClearTextHosts {
        named = named == null ? List.of() : named.stream().map(host -> host.trim().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
    }

    /** Whether {@code host} may be reached in clear text. */
    boolean allow(String host) {
        if (host == null) {
            return false;
        }
        String bare = host.trim().toLowerCase(Locale.ROOT);
        if (bare.startsWith("[") && bare.endsWith("]")) {
            bare = bare.substring(1, bare.length() - 1);
        }
        return bare.equals("localhost") || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(bare).matches() || named.contains(bare);
    }

    /** What an operator may do about a refused host, for the start-up message. */
    static String remedy() {
        return "or, if the server sits on a network that only this service reaches, name its host in "
                + "reunification.delivery.clear-text-hosts";
    }
}
