package org.homecoming.console.dashboard;

import java.time.Clock;
import java.util.List;

import org.homecoming.console.attention.AttentionItem;
import org.homecoming.console.attention.AttentionWatch;
import org.homecoming.console.lineage.StreamLineage;
import org.homecoming.console.messaging.UnreadableRecords;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.OperationPicture;
import org.homecoming.console.operation.OperationSnapshot;
import org.homecoming.console.route.RouteSchematic;
import org.homecoming.console.topics.TopicFigures;
import org.homecoming.console.topics.TopicWatch;
import org.springframework.stereotype.Service;

/** Puts the operation picture, the route map and the topic figures together into one dashboard. */
@Service
public class DashboardService {

    private final OperationPicture picture;
    private final RouteSchematic route;
    private final TopicWatch topics;
    private final UnreadableRecords unreadable;
    private final AttentionWatch attention;
    private final Clock clock;

    DashboardService(OperationPicture picture, RouteSchematic route, TopicWatch topics, UnreadableRecords unreadable,
                     AttentionWatch attention) {
        this.picture = picture;
        this.attention = attention;
        this.route = route;
        this.topics = topics;
        this.unreadable = unreadable;
        this.clock = Clock.systemUTC();
    }

    public Dashboard dashboard() {
        OperationSnapshot operation = picture.snapshot();
        TopicFigures figures = topics.figures();
        // the items first: listing them is what decides which are acknowledged
        List<AttentionItem> items = attention.items(operation);
        return new Dashboard(clock.instant(), items, attention.acknowledgedItems(), operation.rounds(),
                operation.buses().stream().map(this::onMap).toList(), route.map(), operation.alerts(),
                figures, StreamLineage.of(figures), unreadable.total());
    }

    public java.util.Optional<org.homecoming.console.operation.BusTimeline> timeline(String busId) {
        return picture.timeline(busId);
    }

    /** Changes whenever anything on the dashboard may have changed. */
    public long version() {
        return picture.version() * 31 + topics.version() * 17 + attention.version() * 13 + unreadable.total();
    }

    private Dashboard.BusOnMap onMap(BusView bus) {
        if (bus.latitude() == null || bus.longitude() == null) {
            return new Dashboard.BusOnMap(bus, null);
        }
        return new Dashboard.BusOnMap(bus, route.project(bus.latitude(), bus.longitude()));
    }
}
