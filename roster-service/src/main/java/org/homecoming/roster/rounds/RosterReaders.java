package org.homecoming.roster.rounds;

import org.homecoming.platform.security.Roles;

/**
 * Who may read rounds, lists and listed persons: the list officers who keep them, the transport officers who build
 * manifests from them, the reception staff who check identities against them, and the caseworkers who compare them
 * with inquiries. Hotline operators and partners may not: the lists name detainees.
 */
public final class RosterReaders {

    public static final String[] ROLES = {Roles.LIST_OFFICER, Roles.TRANSPORT_OFFICER, Roles.RECEPTION_STAFF, Roles.CASEWORKER};

    private RosterReaders() {
    }
}
