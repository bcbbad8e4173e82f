package org.homecoming.platform.security;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

/**
 * The hosts a service may reach without encryption: this host, and the ones an operator names in
 * {@code homecoming.clear-text-hosts} (a sidecar, or a container on a network only the services reach, as
 * docker-compose's are). Anywhere else what a service sends or fetches could be read or changed on the way: a
 * relative's address, a client secret, the identity provider's keys (a forged key set would accept forged tokens).
 *
 * <p>Host names are compared as written, never resolved: a name that resolves to this host today may not tomorrow.
 */
public record ClearTextHosts(List<String> named) {

    public static final String PROPERTY = "homecoming.clear-text-hosts";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(\\.\\d{1,3}){3}");

    public ClearTextHosts {
        named = named == null ? List.of() : named.stream().map(host -> host.trim().toLowerCase(Locale.ROOT))
                .filter(host -> !host.isEmpty()).toList();
    }

    /** The hosts named in the environment's {@value #PROPERTY}. */
    public static ClearTextHosts of(Environment environment) {
        return new ClearTextHosts(Binder.get(environment).bind(PROPERTY, String[].class).map(List::of).orElse(List.of()));
    }

    /** Whether {@code host} may be reached in clear text. */
    public boolean allow(String host) {
        return thisHost(host) || (host != null && named.contains(bare(host)));
    }

    /** Whether {@code host} names this host only (the loopback interface), as written. */
    public static boolean thisHost(String host) {
        if (host == null) {
            return false;
        }
        String bare = bare(host);
        return bare.equals("localhost") || bare.equals("::1") || bare.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(bare).matches();
    }

    private static String bare(String host) {
        String bare = host.trim().toLowerCase(Locale.ROOT);
        return bare.startsWith("[") && bare.endsWith("]") ? bare.substring(1, bare.length() - 1) : bare;
    }

    /**
     * What is wrong with reaching {@code url}, the value of {@code setting}, which carries {@code what}: empty when it
     * is https, or http to a host that may be reached in clear text.
     */
    public Optional<String> problem(String setting, String url, String what) {
        URI uri;
        try {
            uri = URI.create(url.trim());
        } catch (IllegalArgumentException e) {
            return Optional.of(setting + " is not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme.equals("https") || (scheme.equals("http") && allow(uri.getHost()))) {
            return Optional.empty();
        }
        return Optional.of(setting + " reaches " + uri.getHost() + " over " + (scheme.isEmpty() ? "no scheme" : scheme)
                + ", carrying " + what);
    }

    /** What an operator may do about a refused host, for a start-up message. */
    public static String remedy() {
        return "or, if the server sits on a network that only the services reach, name its host in " + PROPERTY;
    }
}
