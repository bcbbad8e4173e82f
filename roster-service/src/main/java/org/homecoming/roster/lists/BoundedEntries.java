package org.homecoming.roster.lists;

import java.util.ArrayList;
import java.util.List;

import org.homecoming.roster.lists.ReleaseListController.JsonEntry;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DatabindException;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.ValueDeserializer;

/**
 * Reads a JSON list's entries, at most one past {@link ListUpload#MAX_ROWS}: the entries after that are skipped unread,
 * so that {@code {"entries":[{},{},...]}} within the body limit (three bytes an entry) is refused as too long instead of
 * being held as millions of entries first.
 */
final class BoundedEntries extends ValueDeserializer<List<JsonEntry>> {

    @Override
    @SuppressWarnings("unchecked")
    public List<JsonEntry> deserialize(JsonParser parser, DeserializationContext context) {
        if (!parser.isExpectedStartArrayToken()) {
            // answered as any list sent as something else is, among the body's other problems
            return (List<JsonEntry>) context.handleUnexpectedToken(context.constructType(List.class), parser);
        }
        List<JsonEntry> entries = new ArrayList<>();
        for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
            if (entries.size() > ListUpload.MAX_ROWS) {
                parser.skipChildren();
            } else if (token == JsonToken.VALUE_NULL) {
                entries.add(null);
            } else {
                try {
                    entries.add(context.readValue(parser, JsonEntry.class));
                } catch (JacksonException e) {
                    // named by its position, entries[i], as Jackson's own list reader names it
                    throw DatabindException.wrapWithPath(e, entries, entries.size());
                }
            }
        }
        return entries;
    }
}
