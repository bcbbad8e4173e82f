package org.homecoming.console.attention;

import java.time.Instant;

/**
 * One thing that needs a person's attention now. Ids only, never a name.
 *
 * @param id      stable while the condition lasts: acknowledging names it
 * @param subject the bus, match, alert, topic or consumer group concerned
 * @param summary one line for the page
 * @param since   when the condition began, as far as the console knows (null if unknown)
 * @param link    where on the page its detail is
 */
public record AttentionItem(String id, Concern concern, String subject, String summary, Instant since, String link) {
}
