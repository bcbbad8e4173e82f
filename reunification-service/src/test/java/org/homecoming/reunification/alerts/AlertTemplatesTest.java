package org.homecoming.reunification.alerts;

import org.homecoming.events.reunification.Language;
import org.homecoming.events.reunification.Milestone;
import org.homecoming.reunification.alerts.AlertTemplates.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static org.assertj.core.api.Assertions.assertThat;

class AlertTemplatesTest {

    static final AlertTemplates TEMPLATES = new AlertTemplates(java.util.Map.of("chernihiv-regional-hospital", java.util.Map.of(
            "uk", "Чернігівська обласна лікарня", "ru", "Черниговская областная больница", "en", "Chernihiv Regional Hospital")));
    final AlertTemplates templates = TEMPLATES;

    @ParameterizedTest
    @EnumSource(Language.class)
    void shouldRenderEveryMilestoneInEveryLanguageWithTheReferenceAndNoPlaceholderLeft(Language language) {
        for (Milestone milestone : Milestone.values()) {
            Message message = templates.render(milestone, language, "inq-42", "chernihiv-regional-hospital");

            assertThat(message.subject()).as("%s subject in %s", milestone, language).isNotBlank().doesNotContain("{");
            assertThat(message.text()).as("%s text in %s", milestone, language)
                    .contains("inq-42").doesNotContain("{").doesNotContain("}");
            assertThat(templates.emailBody(message, language, "inq-42")).doesNotContain("{");
        }
    }

    @Test
    void shouldWriteInTheRelativesLanguage() {
        assertThat(templates.render(Milestone.ARRIVED, Language.UK, "inq-1", "лікарня").subject()).contains("прибула");
        assertThat(templates.render(Milestone.ARRIVED, Language.RU, "inq-1", "больница").subject()).contains("прибыл");
        assertThat(templates.render(Milestone.ARRIVED, Language.EN, "inq-1", "hospital").subject()).contains("arrived");
    }

    @Test
    void shouldSayThatListsCanChangeWhenAPersonIsListed() {
        assertThat(templates.render(Milestone.LISTED_FOR_RELEASE, Language.UK, "inq-1", null).text()).contains("Списки можуть змінюватися");
        assertThat(templates.render(Milestone.LISTED_FOR_RELEASE, Language.RU, "inq-1", null).text()).contains("Списки могут меняться");
        assertThat(templates.render(Milestone.LISTED_FOR_RELEASE, Language.EN, "inq-1", null).text()).contains("Lists can still change");
    }

    @Test
    void shouldNameTheFacilityOrSayItWillBeNamed() {
        assertThat(templates.render(Milestone.AT_FACILITY, Language.EN, "inq-1", "chernihiv-regional-hospital").text())
                .contains("Chernihiv Regional Hospital");
        assertThat(templates.render(Milestone.ARRIVED, Language.EN, "inq-1", null).text()).contains("will be named soon");
    }

    @Test
    void shouldNameTheFacilityFromTheListInTheRelativesLanguage() {
        assertThat(templates.render(Milestone.AT_FACILITY, Language.UK, "inq-1", "chernihiv-regional-hospital").subject())
                .contains("Чернігівська обласна лікарня");
        assertThat(templates.render(Milestone.AT_FACILITY, Language.RU, "inq-1", "chernihiv-regional-hospital").text())
                .contains("Черниговская областная больница");
    }

    @Test
    void shouldNeverPutACallersTextIntoAnAlert() {
        String typed = "Hospital - pay the processing fee at http://evil.example/pay";

        Message message = templates.render(Milestone.AT_FACILITY, Language.EN, "inq-1", typed);

        assertThat(message.subject()).doesNotContain("evil.example");
        assertThat(message.text()).doesNotContain("evil.example").contains("will be named soon");
    }
}
