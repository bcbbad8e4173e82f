package org.homecoming.console.dashboard;

import java.time.Instant;
import java.util.List;

import org.homecoming.console.attention.AttentionBoard.AcknowledgedItem;
import org.homecoming.console.attention.AttentionItem;
import org.homecoming.console.lineage.StreamLineage;
import org.homecoming.console.operation.AlertFigures;
import org.homecoming.console.operation.BusView;
import org.homecoming.console.operation.RoundView;
import org.homecoming.console.route.RouteSchematic.MapPoint;
import org.homecoming.console.route.RouteSchematic.RouteMap;
import org.homecoming.console.topics.TopicFigures;

/**
 * Everything the ops page shows, at one moment. It holds ids and counts only: no name and no contact
 * detail of a detainee or a relative.
 *
 * @param attention         what needs a person's attention now, most urgent first
 * @param acknowledged      the open items an acknowledgement keeps off that list, with who acknowledged each and when
 * @param lineage           services and topics as a graph, with records/s and lag
 * @param unreadableRecords records of the observed topics that the console could not read and skipped
 */
public record Dashboard(Instant generatedAt, List<AttentionItem> attention, List<AcknowledgedItem> acknowledged, List<RoundView> rounds, List<BusOnMap> buses,
                        RouteMap route, AlertFigures alerts, TopicFigures topics, StreamLineage lineage,
                        long unreadableRecords) {

    /** A bus and, when its position is known, where it sits on the route map. */
    public record BusOnMap(BusView bus, MapPoint mapPoint) {
    }
}
