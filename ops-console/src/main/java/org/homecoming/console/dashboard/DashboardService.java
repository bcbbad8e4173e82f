package org.homecoming.console.dashboard;

import java.time.Clock;

import org.homecoming.console.messaging.UnreadableRecords;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.OperationPicture;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.route.RouteSchematic;
import org.homecoming.console.topics.TopicWatch;
import org.springframework.stereotype.Service;

/** Puts the operation picture, the route map and the topic figures together into one dashboard. */
@Service
public class DashboardService {

    private final OperationPicture picture;
    private final RouteSchematic route;
    private final TopicWatch topics;
    private final UnreadableRecords unreadable;
    private final Clock clock;

    DashboardService(OperationPicture picture, RouteSchematic route, TopicWatch topics, UnreadableRecords unreadable) {
        this.picture = picture;
        this.route = route;
        this.topics = topics;
        this.unreadable = unreadable;
        this.clock = Clock.systemUTC();
    }

    public Dashboard dashboard() {
        OperationSnapshot operation = picture.snapshot();
        return new Dashboard(clock.instant(), operation.rounds(),
                operation.buses().stream().map(this::onMap).toList(), route.map(), operation.alerts(),
                topics.figures(), unreadable.total());
    }

    /** Changes whenever anything on the dashboard may have changed. */
    public long version() {
        return picture.version() * 31 + topics.version() * 17 + unreadable.total();
    }

    private Dashboard.BusOnMap onMap(BusView bus) {
        if (bus.latitude() == null || bus.longitude() == null) {
            return new Dashboard.BusOnMap(bus, null);
        }
        return new Dashboard.BusOnMap(bus, route.project(bus.latitude(), bus.longitude()));
    }
}
