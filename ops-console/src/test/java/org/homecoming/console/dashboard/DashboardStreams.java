package org.homecoming.console.dashboard;

import org.springframework.context.ApplicationContext;

/** Ends every open dashboard stream of a running console, as its shutdown does: for tests of what the page does then. */
public final class DashboardStreams {

    private DashboardStreams() {
    }

    public static void closeAll(ApplicationContext console) {
        console.getBean(DashboardStream.class).closeStreams();
    }
}
