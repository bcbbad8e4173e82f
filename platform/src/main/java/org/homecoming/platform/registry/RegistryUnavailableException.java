package org.homecoming.platform.registry;

/**
 * A record could not be read because the schema registry could not be asked for its schema: the record is fine, the
 * registry (or the identity provider that issues the registry client's token) is not there. It must be read again once
 * the registry answers, never dead-lettered or skipped. See {@link RegistryOutage}.
 *
 * <p>Serializable with no cause attached: the error-handling deserializer carries it to the listener in a header by
 * Java serialization, and the registry client's own exceptions (Kiota's response headers, Netty's DNS codes) are not
 * serializable, so Spring would replace them by a plain RuntimeException and the classification would be lost. The
 * message keeps their classes and messages; they name hosts and status codes, never a record's content.
 */
public class RegistryUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RegistryUnavailableException(String message) {
        super(message);
    }

    public RegistryUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
