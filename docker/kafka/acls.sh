#!/usr/bin/env bash
# GENERATED from the topic catalogue and org.homecoming.localstack.TopicAccess by
# local-stack's ComposeBrokerAccess: do not edit. ComposeBrokerAccessTest fails while this file differs
# from what they give; regenerate with
#   ./mvnw -B -o -pl local-stack -am verify -Dtest=ComposeBrokerAccessTest \
#     -Dsurefire.failIfNoSpecifiedTests=false -Dhomecoming.compose-acls.write=true
#
# Run by docker-compose's kafka-acls step as the super user, before any service starts: creates the
# catalogue's topics and dead-letter topics (no service may create a topic), sets each partner's quota
# (bytes per second it may send and fetch) and adds the ACLs the StandardAuthorizer enforces. All may run
# again. An ACL that earlier versions granted and this one revokes is removed (the revoke lines at the
# end); any other ACL removed from TopicAccess stays on a broker that already has it: recreate the
# broker's container (its log is inside it).
set -euo pipefail
bootstrap="${KAFKA_BOOTSTRAP:-kafka:9092}"
config="${KAFKA_COMMAND_CONFIG:-/tmp/admin.properties}"
bin="${KAFKA_BIN:-/opt/kafka/bin}"
existing="$("$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" --list)"
topic() {
  if ! grep -qxF "$1" <<< "$existing"; then
    "$bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --command-config "$config" --create \
      --if-not-exists --replication-factor "${KAFKA_REPLICATION_FACTOR:-1}" --topic "$@"
  fi
}
acl() {
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --add "$@" > /dev/null
}
revoke() {
  "$bin/kafka-acls.sh" --bootstrap-server "$bootstrap" --command-config "$config" --remove --force "$@" > /dev/null
}
quota() {
  "$bin/kafka-configs.sh" --bootstrap-server "$bootstrap" --command-config "$config" --alter \
    --entity-type users --entity-name "$1" --add-config "$2" > /dev/null
}

topic roster.exchange-rounds --partitions 6 --config cleanup.policy=compact
topic roster.exchange-rounds-dlt --partitions 6
topic roster.release-lists --partitions 6 --config retention.ms=-1
topic roster.release-lists-dlt --partitions 6
topic roster.listed-persons --partitions 6 --config retention.ms=-1
topic roster.listed-persons-dlt --partitions 6
topic transport.bus-manifests --partitions 6 --config retention.ms=-1
topic transport.bus-manifests-dlt --partitions 6
topic transport.bus-positions --partitions 6 --config retention.ms=86400000
topic transport.bus-positions-dlt --partitions 6
topic transport.bus-movements --partitions 6 --config retention.ms=-1
topic transport.bus-movements-dlt --partitions 6
topic transport.person-arrivals --partitions 6 --config retention.ms=-1
topic transport.person-arrivals-dlt --partitions 6
topic transport.facility-admissions --partitions 6 --config retention.ms=-1
topic transport.facility-admissions-dlt --partitions 6
topic transport.handover-discrepancies --partitions 6 --config retention.ms=-1
topic transport.handover-discrepancies-dlt --partitions 6
topic reunification.inquiries --partitions 6 --config cleanup.policy=compact
topic reunification.inquiries-dlt --partitions 6
topic reunification.matches --partitions 6 --config retention.ms=-1
topic reunification.matches-dlt --partitions 6
topic reunification.alerts --partitions 6 --config retention.ms=-1
topic reunification.alerts-dlt --partitions 6
topic reunification.alert-deliveries --partitions 6 --config retention.ms=-1
topic reunification.alert-deliveries-dlt --partitions 6
topic console.attention-acknowledgements --partitions 6 --config cleanup.policy=compact
topic console.attention-acknowledgements-dlt --partitions 6
topic audit.events --partitions 6 --config retention.ms=-1
topic audit.events-dlt --partitions 6
topic intake.bus-positions.partner-demo --partitions 6 --config retention.bytes=1073741824 --config retention.ms=86400000
topic intake.bus-positions.partner-demo-dlt --partitions 6 --config retention.bytes=1073741824
topic outbound.bus-movements.partner-demo --partitions 6 --config retention.ms=2592000000
topic outbound.bus-movements.partner-demo-dlt --partitions 6

quota partner-demo consumer_byte_rate=1048576,producer_byte_rate=1048576
acl --allow-principal User:registry --operation All \
  --topic 'kafkasql-journal' \
  --topic 'kafkasql-snapshots' \
  --topic 'registry-events'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:reunification --allow-principal User:roster --allow-principal User:transport --operation Describe --operation DescribeConfigs \
  --topic 'audit.events-dlt'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:roster --allow-principal User:transport --operation Describe --operation DescribeConfigs \
  --topic 'reunification.inquiries' \
  --topic 'reunification.inquiries-dlt'
acl --allow-principal User:kafka-ui --operation Describe --operation DescribeConfigs \
  --topic 'audit.events'
acl --allow-principal User:ops-console --operation Describe --operation DescribeConfigs \
  --topic 'console.attention-acknowledgements-dlt' \
  --topic 'intake.bus-positions.partner-demo-dlt' \
  --topic 'outbound.bus-movements.partner-demo-dlt' \
  --topic 'reunification.alert-deliveries-dlt' \
  --topic 'reunification.alerts-dlt' \
  --topic 'reunification.matches-dlt' \
  --topic 'roster.exchange-rounds-dlt' \
  --topic 'roster.listed-persons-dlt' \
  --topic 'roster.release-lists-dlt' \
  --topic 'transport.bus-manifests-dlt' \
  --topic 'transport.bus-movements-dlt' \
  --topic 'transport.bus-positions-dlt' \
  --topic 'transport.facility-admissions-dlt' \
  --topic 'transport.handover-discrepancies-dlt' \
  --topic 'transport.person-arrivals-dlt'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:reunification --allow-principal User:roster --allow-principal User:transport --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'intake.bus-positions.partner-demo'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:reunification --allow-principal User:roster --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'outbound.bus-movements.partner-demo' \
  --topic 'transport.bus-manifests' \
  --topic 'transport.bus-movements' \
  --topic 'transport.bus-positions' \
  --topic 'transport.facility-admissions' \
  --topic 'transport.handover-discrepancies' \
  --topic 'transport.person-arrivals'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:reunification --allow-principal User:transport --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'roster.exchange-rounds' \
  --topic 'roster.listed-persons' \
  --topic 'roster.release-lists'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --allow-principal User:roster --allow-principal User:transport --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'reunification.alert-deliveries' \
  --topic 'reunification.alerts' \
  --topic 'reunification.matches'
acl --allow-principal User:kafka-ui --allow-principal User:reunification --allow-principal User:roster --allow-principal User:transport --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'console.attention-acknowledgements'
acl --allow-principal User:kafka-ui --operation Read --operation Describe --operation DescribeConfigs \
  --topic 'console.attention-acknowledgements-dlt' \
  --topic 'intake.bus-positions.partner-demo-dlt' \
  --topic 'outbound.bus-movements.partner-demo-dlt' \
  --topic 'reunification.alert-deliveries-dlt' \
  --topic 'reunification.alerts-dlt' \
  --topic 'reunification.matches-dlt' \
  --topic 'roster.exchange-rounds-dlt' \
  --topic 'roster.listed-persons-dlt' \
  --topic 'roster.release-lists-dlt' \
  --topic 'transport.bus-manifests-dlt' \
  --topic 'transport.bus-movements-dlt' \
  --topic 'transport.bus-positions-dlt' \
  --topic 'transport.facility-admissions-dlt' \
  --topic 'transport.handover-discrepancies-dlt' \
  --topic 'transport.person-arrivals-dlt'
acl --allow-principal User:ops-console --operation Read --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'console.attention-acknowledgements'
acl --allow-principal User:reunification --allow-principal User:roster --allow-principal User:transport --operation Read --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'console.attention-acknowledgements-dlt' \
  --topic 'intake.bus-positions.partner-demo-dlt' \
  --topic 'outbound.bus-movements.partner-demo-dlt' \
  --topic 'reunification.alert-deliveries-dlt' \
  --topic 'reunification.alerts-dlt' \
  --topic 'reunification.matches-dlt' \
  --topic 'roster.exchange-rounds-dlt' \
  --topic 'roster.listed-persons-dlt' \
  --topic 'roster.release-lists-dlt' \
  --topic 'transport.bus-manifests-dlt' \
  --topic 'transport.bus-movements-dlt' \
  --topic 'transport.bus-positions-dlt' \
  --topic 'transport.facility-admissions-dlt' \
  --topic 'transport.handover-discrepancies-dlt' \
  --topic 'transport.person-arrivals-dlt'
acl --allow-principal User:reunification --operation Read --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'reunification.alert-deliveries' \
  --topic 'reunification.alerts' \
  --topic 'reunification.inquiries' \
  --topic 'reunification.inquiries-dlt' \
  --topic 'reunification.matches'
acl --allow-principal User:roster --operation Read --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'roster.exchange-rounds' \
  --topic 'roster.listed-persons' \
  --topic 'roster.release-lists'
acl --allow-principal User:transport --operation Read --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'outbound.bus-movements.partner-demo' \
  --topic 'transport.bus-manifests' \
  --topic 'transport.bus-movements' \
  --topic 'transport.bus-positions' \
  --topic 'transport.facility-admissions' \
  --topic 'transport.handover-discrepancies' \
  --topic 'transport.person-arrivals'
acl --allow-principal User:auditor --operation Read --operation Write \
  --topic 'audit.events-dlt'
acl --allow-principal User:auditor --operation Read \
  --topic 'audit.events'
acl --allow-principal User:partner-demo --operation Read \
  --topic 'outbound.bus-movements.partner-demo'
acl --allow-principal User:ops-console --allow-principal User:reunification --allow-principal User:roster --allow-principal User:transport --operation Write --operation Describe --operation DescribeConfigs \
  --topic 'audit.events'
acl --allow-principal User:partner-demo --operation Write \
  --topic 'intake.bus-positions.partner-demo'
acl --allow-principal User:reunification --operation All --resource-pattern-type prefixed \
  --topic 'reunification-'
acl --allow-principal User:roster --operation All --resource-pattern-type prefixed \
  --topic 'roster-'
acl --allow-principal User:transport --operation All --resource-pattern-type prefixed \
  --topic 'transport-'
acl --allow-principal User:kafka-ui --allow-principal User:ops-console --operation Describe \
  --group '*'
acl --allow-principal User:auditor --operation Read --resource-pattern-type prefixed \
  --group 'auditor-'
acl --allow-principal User:kafka-ui --operation Read --resource-pattern-type prefixed \
  --group 'kafbat-ui-' \
  --group 'kafka-ui-'
acl --allow-principal User:ops-console --operation Read --resource-pattern-type prefixed \
  --group 'ops-console-'
acl --allow-principal User:partner-demo --operation Read --resource-pattern-type prefixed \
  --group 'partner-demo-'
acl --allow-principal User:registry --operation Read --resource-pattern-type prefixed \
  --group 'apicurio-'
acl --allow-principal User:reunification --operation Read --resource-pattern-type prefixed \
  --group 'reunification-'
acl --allow-principal User:roster --operation Read --resource-pattern-type prefixed \
  --group 'roster-'
acl --allow-principal User:transport --operation Read --resource-pattern-type prefixed \
  --group 'transport-'
acl --allow-principal User:kafka-ui --operation Describe --operation DescribeConfigs --cluster
acl --allow-principal User:ops-console --operation Write --resource-pattern-type prefixed \
  --transactional-id 'ops-console-'
acl --allow-principal User:partner-demo --operation Write --resource-pattern-type prefixed \
  --transactional-id 'partner-demo-'
acl --allow-principal User:reunification --operation Write --resource-pattern-type prefixed \
  --transactional-id 'reunification-'
acl --allow-principal User:roster --operation Write --resource-pattern-type prefixed \
  --transactional-id 'roster-'
acl --allow-principal User:transport --operation Write --resource-pattern-type prefixed \
  --transactional-id 'transport-'
revoke --allow-principal User:partner-demo --operation Read --topic 'transport.bus-movements'
echo "kafka-acls: the catalogue's topics, the partners' quotas and 571 ACLs are in place"
