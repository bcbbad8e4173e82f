package org.homecoming.console.attention;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The thresholds of "needs attention now" ({@code homecoming.console.attention} in {@code ops-console.yml}).
 * The Prometheus alert rules in {@code docker/prometheus/alerts.yml} use the same values.
 *
 * @param trackerSilence how long a bus on the road may go unheard
 * @param reviewWait     how long a match may wait for a caseworker
 * @param deadLetterWindow a dead-letter topic that grew within this window needs attention
 * @param lagWindow      a group whose lag grew at every reading over this window needs attention
 * @param figuresStaleAfter topic figures not read for this long are stale: the console says it cannot see Kafka
 * @param deliveryWait   an alert still retrying after this long waits for its channel (the mail server or SMS gateway
 *                       takes no message): a retry of one message lasts seconds
 * @param identityProviderSilence the identity provider not answering for this long needs attention (a restart takes
 *                       some 20 s)
 */
@ConfigurationProperties("homecoming.console.attention")
public record AttentionRules(Duration trackerSilence, Duration reviewWait, Duration deadLetterWindow, Duration lagWindow,
                             Duration figuresStaleAfter, Duration deliveryWait, Duration identityProviderSilence) {

    public AttentionRules {
        trackerSilence = trackerSilence == null ? Duration.ofMinutes(2) : trackerSilence;
        reviewWait = reviewWait == null ? Duration.ofMinutes(15) : reviewWait;
        deadLetterWindow = deadLetterWindow == null ? Duration.ofMinutes(5) : deadLetterWindow;
        lagWindow = lagWindow == null ? Duration.ofMinutes(2) : lagWindow;
        // readings come every 5 s (homecoming.console.topic-poll-interval): a minute is a dozen missed
        figuresStaleAfter = figuresStaleAfter == null ? Duration.ofMinutes(1) : figuresStaleAfter;
        deliveryWait = deliveryWait == null ? Duration.ofMinutes(1) : deliveryWait;
        identityProviderSilence = identityProviderSilence == null ? Duration.ofMinutes(1) : identityProviderSilence;
    }

}
