// The ops console page: renders the dashboard JSON of GET api/v1/dashboard and keeps it live through
// the server-sent events of api/v1/dashboard/stream. Plain DOM, no framework, no build step, nothing
// loaded from outside the console. Every value goes in as text (never as HTML): ids come from topics
// that partners can write to.
(function () {
    'use strict';

    var SVG = 'http://www.w3.org/2000/svg';
    var STAGES = [
        ['listed', 'Listed'],
        ['onBus', 'On a bus'],
        ['crossedBorder', 'Crossed the border'],
        ['arrived', 'Arrived'],
        ['identityVerified', 'Identity verified'],
        ['matched', 'Matched to an inquiry'],
        ['alerted', 'Relatives alerted']
    ];
    var STATE_LABELS = {
        REGISTERED: 'registered',
        DEPARTED: 'departed',
        CHECKPOINT_PASSED: 'checkpoint passed',
        BORDER_CROSSED: 'border crossed',
        ARRIVED: 'arrived'
    };
    var number = new Intl.NumberFormat();
    var rate = new Intl.NumberFormat(undefined, {minimumFractionDigits: 1, maximumFractionDigits: 1});

    function el(name, attributes, text) {
        var node = document.createElement(name);
        Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
        if (text !== undefined && text !== null) { node.textContent = text; }
        return node;
    }

    function svg(name, attributes, text) {
        var node = document.createElementNS(SVG, name);
        Object.keys(attributes || {}).forEach(function (key) { node.setAttribute(key, attributes[key]); });
        if (text !== undefined && text !== null) { node.textContent = text; }
        return node;
    }

    function localTime(iso) {
        if (!iso) { return '—'; }
        return new Date(iso).toLocaleString(undefined, {dateStyle: 'short', timeStyle: 'medium'});
    }

    function localDate(isoDate) {
        if (!isoDate) { return null; }
        var parts = isoDate.split('-').map(Number);
        return new Date(parts[0], parts[1] - 1, parts[2]).toLocaleDateString(undefined, {dateStyle: 'medium'});
    }

    function timeCell(iso) {
        var cell = el('td');
        if (iso) {
            cell.appendChild(el('time', {datetime: iso}, localTime(iso)));
        } else {
            cell.textContent = '—';
        }
        return cell;
    }

    function replaceRows(tbody, rows, emptyText, columns) {
        tbody.replaceChildren();
        if (rows.length === 0) {
            var row = el('tr', {'class': 'empty-row'});
            row.appendChild(el('td', {colspan: String(columns)}, emptyText));
            tbody.appendChild(row);
            return;
        }
        rows.forEach(function (row) { tbody.appendChild(row); });
    }

    function renderRounds(rounds) {
        var container = document.getElementById('rounds');
        container.replaceChildren();
        if (rounds.length === 0) {
            container.appendChild(el('p', {'class': 'empty'}, 'No round yet.'));
            return;
        }
        rounds.forEach(function (round) {
            var card = el('article', {'class': 'round', 'data-round-id': round.roundId});
            card.appendChild(el('h3', null, 'Round ' + round.roundId));
            var meta = el('div', {'class': 'meta'});
            var facts = [];
            if (round.stage) { facts.push('stage ' + round.stage + ' of ' + round.stageCount); }
            if (round.exchangeDate) { facts.push(localDate(round.exchangeDate)); }
            if (round.releasingSide) { facts.push(round.releasingSide + ' → ' + round.receivingSide); }
            if (round.plannedPersons !== null && round.plannedPersons !== undefined) {
                facts.push(number.format(round.plannedPersons) + ' planned');
            }
            if (facts.length === 0) { facts.push('round record not received yet'); }
            meta.appendChild(document.createTextNode(facts.join(' · ') + ' '));
            if (round.status) { meta.appendChild(el('span', {'class': 'status-tag'}, round.status.replace('_', ' ').toLowerCase())); }
            card.appendChild(meta);

            var funnel = el('ol', {'class': 'funnel'});
            var listed = round.funnel.listed;
            var scale = Math.max(1, listed, round.funnel.onBus, round.funnel.arrived);
            STAGES.forEach(function (stage) {
                var value = round.funnel[stage[0]];
                var item = el('li', {'class': 'stage', 'data-stage': stage[0]});
                item.appendChild(el('span', {'class': 'label'}, stage[1]));
                var bar = el('span', {'class': 'bar', 'aria-hidden': 'true'});
                var fill = el('span', {'class': 'fill'});
                fill.style.width = (100 * value / scale) + '%';
                fill.style.display = 'block';
                bar.appendChild(fill);
                item.appendChild(bar);
                item.appendChild(el('span', {'class': 'value', title: stage[1] + ': persons'}, number.format(value)));
                item.appendChild(el('span', {'class': 'share'}, listed > 0 ? Math.round(100 * value / listed) + '%' : ''));
                funnel.appendChild(item);
            });
            card.appendChild(funnel);
            container.appendChild(card);
        });
    }

    function renderMap(route, buses) {
        var map = document.getElementById('route-map');
        map.setAttribute('viewBox', '0 0 ' + route.width + ' ' + route.height);
        map.replaceChildren();
        map.appendChild(svg('text', {'class': 'country', x: 16, y: 28}, route.northLabel || ''));
        map.appendChild(svg('text', {'class': 'country', x: 16, y: route.height - 16}, route.southLabel || ''));
        map.appendChild(svg('polyline', {
            'class': 'border-line',
            points: route.border.map(function (p) { return p.x + ',' + p.y; }).join(' ')
        }));
        var places = [route.origin, route.crossingPoint, route.receptionPoint].filter(Boolean);
        map.appendChild(svg('polyline', {
            'class': 'route-line',
            points: places.map(function (p) { return p.point.x + ',' + p.point.y; }).join(' ')
        }));
        places.forEach(function (place) {
            var group = svg('g', {'class': 'place'});
            group.appendChild(svg('circle', {cx: place.point.x, cy: place.point.y, r: 6}));
            group.appendChild(svg('text', {x: place.point.x + 11, y: place.point.y + 4}, place.name));
            map.appendChild(group);
        });
        var placed = buses.filter(function (entry) { return entry.mapPoint; });
        placed.forEach(function (entry, index) {
            var bus = entry.bus;
            var point = entry.mapPoint;
            var group = svg('g', {'class': 'bus' + (bus.trackerSilent ? ' silent' : ''), 'data-bus-id': bus.busId});
            group.appendChild(svg('title', null, 'Bus ' + bus.busId + ': ' + STATE_LABELS[bus.state]
                + ', ' + bus.persons + ' persons on board'));
            group.appendChild(svg('circle', {'class': 'state-' + bus.state, cx: point.x, cy: point.y, r: 9}));
            // Stagger labels a little so that buses travelling together stay readable, and put them on the left
            // of a bus standing near a place, whose own label is on the right.
            var dy = (index % 2 === 0) ? -14 : 24;
            var nearPlace = places.some(function (place) {
                return Math.abs(place.point.x - point.x) < 40 && Math.abs(place.point.y - point.y) < 30;
            });
            group.appendChild(svg('text', nearPlace
                ? {x: point.x - 12, y: point.y + dy / 2, 'text-anchor': 'end'}
                : {x: point.x + 12, y: point.y + dy / 2}, bus.busId));
            map.appendChild(group);
        });
    }

    function renderBuses(buses) {
        var rows = buses.map(function (entry) {
            var bus = entry.bus;
            var row = el('tr', {'data-bus-id': bus.busId});
            row.appendChild(el('td', null, null)).appendChild(el('a', {href: '#bus/' + encodeURIComponent(bus.busId)}, bus.busId));
            row.appendChild(el('td', null, bus.roundId));
            var state = el('td');
            state.appendChild(el('span', {'class': 'state-chip state-' + bus.state}, STATE_LABELS[bus.state]));
            if (bus.trackerSilent) { state.appendChild(el('span', {'class': 'silent-chip'}, 'tracker silent')); }
            row.appendChild(state);
            row.appendChild(el('td', {'class': 'num'}, number.format(bus.persons)));
            row.appendChild(el('td', null, bus.lastPlace || '—'));
            row.appendChild(timeCell(bus.lastSeenAt));
            row.appendChild(timeCell(bus.estimatedArrival));
            return row;
        });
        replaceRows(document.querySelector('#buses tbody'), rows, 'No bus yet.', 7);
    }

    function renderAlerts(alerts) {
        Object.keys(alerts).forEach(function (key) {
            var tile = document.querySelector('#alerts [data-figure="' + key + '"]');
            if (!tile) { return; }
            tile.querySelector('.value').textContent = number.format(alerts[key]);
            if (key === 'reviewQueue' || key === 'failed') {
                tile.classList.toggle('attention', alerts[key] > 0);
            }
        });
    }

    function renderTopics(topics) {
        document.getElementById('topics-read').textContent = localTime(topics.readAt);
        replaceRows(document.querySelector('#dead-letters tbody'), topics.deadLetters.map(function (dlt) {
            var row = el('tr', {'data-topic': dlt.topic, 'class': dlt.records > 0 ? 'alarm' : ''});
            row.appendChild(el('td', null, null)).appendChild(el('code', null, dlt.topic));
            row.appendChild(el('td', {'class': 'num'}, number.format(dlt.records)));
            return row;
        }), 'Not read yet.', 2);
        replaceRows(document.querySelector('#topics tbody'), topics.topics.map(function (topic) {
            var row = el('tr', {'data-topic': topic.topic});
            row.appendChild(el('td', null, null)).appendChild(el('code', null, topic.topic));
            row.appendChild(el('td', {'class': 'num'},
                topic.recordsPerSecond === null ? 'measuring…' : rate.format(topic.recordsPerSecond)));
            row.appendChild(el('td', {'class': 'num'}, number.format(topic.records)));
            return row;
        }), 'Not read yet.', 3);
        replaceRows(document.querySelector('#groups tbody'), topics.consumerGroups.map(function (group) {
            var row = el('tr', {'data-group': group.groupId});
            row.appendChild(el('td', null, null)).appendChild(el('code', null, group.groupId));
            row.appendChild(el('td', null, group.topics.join(', ')));
            row.appendChild(el('td', {'class': 'num'}, number.format(group.lag)));
            return row;
        }), 'No consumer group has committed offsets yet.', 3);
    }

    var CONCERN_LABELS = {
        CORRECTION_DUE: 'family to be corrected',
        TRACKER_SILENT: 'tracker silent',
        BUS_UNTRACKED: 'bus has no tracker',
        BUS_OVERDUE: 'past its ETA',
        HANDOVER_DISCREPANCY: 'hand-over discrepancy',
        DELIVERY_WAITING: 'alerts waiting for a channel',
        DELIVERY_FAILED: 'delivery failed',
        DELIVERY_OUTCOME_UNKNOWN: 'delivery outcome unknown',
        REVIEW_WAITING: 'review waiting',
        DEAD_LETTERS_GREW: 'dead letters',
        LAG_GROWING: 'lag growing',
        CONSUMER_STALLED: 'consumer stalled',
        FIGURES_STALE: 'console cannot read Kafka',
        IDENTITY_PROVIDER_UNREACHABLE: 'identity provider away'
    };

    // The console's session is protected against cross-site requests: a POST carries the CSRF token that the
    // server left in the XSRF-TOKEN cookie.
    function csrfToken() {
        var match = document.cookie.match(/(?:^|;\s*)XSRF-TOKEN=([^;]*)/);
        return match ? decodeURIComponent(match[1]) : '';
    }

    // Why an acknowledgement was refused, by item, until the item is acknowledged or closes: every push redraws the
    // list, and the reason must outlive it.
    var refusedAcknowledgements = {};

    function acknowledge(itemId) {
        fetch('api/v1/attention/acknowledgements', {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken()},
            body: JSON.stringify({itemId: itemId})
        }).then(function (response) {
            if (response.ok) {
                delete refusedAcknowledgements[itemId];
                document.querySelectorAll('#attention li[data-item-id]').forEach(function (item) {
                    if (item.getAttribute('data-item-id') === itemId) { item.remove(); }
                });
                return null;
            }
            // Refused (the item closed, the session is gone, the audit trail could not record it): the item stays,
            // and says why. Before, it left the page and came back with the next push, as if acknowledging did not stick.
            return response.json().catch(function () { return {}; }).then(function (problem) {
                refused(itemId, problem.detail || 'the console answered ' + response.status);
            });
        }).catch(function () { refused(itemId, 'the console cannot be reached'); });
    }

    function refused(itemId, why) {
        refusedAcknowledgements[itemId] = 'Not acknowledged: ' + why;
        document.querySelectorAll('#attention li[data-item-id]').forEach(function (item) {
            if (item.getAttribute('data-item-id') === itemId) { showRefusal(item, itemId); }
        });
    }

    function showRefusal(entry, itemId) {
        var shown = entry.querySelector('.ack-refused');
        if (shown) { shown.remove(); }
        if (refusedAcknowledgements[itemId]) {
            entry.appendChild(el('span', {'class': 'ack-refused'}, refusedAcknowledgements[itemId]));
        }
    }

    // An item acknowledged by mistake would stay hidden for as long as its condition lasts: each acknowledged item that is
    // still open is listed apart, with who acknowledged it, and can be put back on the list for every operator.
    function withdrawAcknowledgement(itemId, acknowledgedAt, entry) {
        fetch('api/v1/attention/acknowledgement-withdrawals', {
            method: 'POST',
            headers: {'Content-Type': 'application/json', 'X-XSRF-TOKEN': csrfToken()},
            // the acknowledgement this page shows: a colleague's newer one is never removed by it
            body: JSON.stringify({itemId: itemId, acknowledgedAt: acknowledgedAt})
        }).then(function (response) {
            if (response.ok) {
                entry.remove();
                var left = document.querySelectorAll('#acknowledged li[data-item-id]').length;
                document.getElementById('acknowledged-count').textContent = String(left);
                document.getElementById('acknowledged-details').hidden = left === 0;
                return null;
            }
            return response.json().catch(function () { return {}; }).then(function (problem) {
                showWithdrawalRefused(entry, problem.detail || 'the console answered ' + response.status);
            });
        }).catch(function () { showWithdrawalRefused(entry, 'the console cannot be reached'); });
    }

    function showWithdrawalRefused(entry, why) {
        var shown = entry.querySelector('.ack-refused');
        if (shown) { shown.remove(); }
        entry.appendChild(el('span', {'class': 'ack-refused'}, 'Not put back: ' + why));
    }

    function renderAcknowledged(acknowledged) {
        var items = acknowledged || [];
        var details = document.getElementById('acknowledged-details');
        details.hidden = items.length === 0;
        document.getElementById('acknowledged-count').textContent = String(items.length);
        var list = document.getElementById('acknowledged');
        list.replaceChildren();
        items.forEach(function (acknowledgedItem) {
            var item = acknowledgedItem.item;
            var entry = el('li', {'data-item-id': item.id, 'data-concern': item.concern});
            entry.appendChild(el('span', {'class': 'concern'}, CONCERN_LABELS[item.concern] || item.concern));
            entry.appendChild(el('a', {href: item.link, 'class': 'summary'}, item.summary));
            entry.appendChild(el('span', {'class': 'acknowledged-by'}, 'acknowledged by ' + acknowledgedItem.acknowledgedBy
                + (acknowledgedItem.acknowledgedAt ? ' at ' + localTime(acknowledgedItem.acknowledgedAt) : '')));
            var button = el('button', {type: 'button', 'class': 'put-back'}, 'Put back');
            button.addEventListener('click', function () {
                withdrawAcknowledgement(item.id, acknowledgedItem.acknowledgedAt, entry);
            });
            entry.appendChild(button);
            list.appendChild(entry);
        });
    }

    function renderAttention(items) {
        var list = document.getElementById('attention');
        list.replaceChildren();
        document.getElementById('attention-panel').classList.toggle('alarm', items.length > 0);
        var open = {};
        items.forEach(function (item) { open[item.id] = true; });
        Object.keys(refusedAcknowledgements).forEach(function (itemId) {
            if (!open[itemId]) { delete refusedAcknowledgements[itemId]; }
        });
        if (items.length === 0) {
            list.appendChild(el('li', {'class': 'empty'}, 'Nothing needs attention.'));
            return;
        }
        items.forEach(function (item) {
            var entry = el('li', {'data-item-id': item.id, 'data-concern': item.concern});
            entry.appendChild(el('span', {'class': 'concern'}, CONCERN_LABELS[item.concern] || item.concern));
            entry.appendChild(el('a', {href: item.link, 'class': 'summary'}, item.summary));
            if (item.since) { entry.appendChild(el('time', {datetime: item.since}, localTime(item.since))); }
            var button = el('button', {type: 'button', 'class': 'acknowledge'}, 'Acknowledge');
            button.addEventListener('click', function () { acknowledge(item.id); });
            entry.appendChild(button);
            showRefusal(entry, item.id);
            list.appendChild(entry);
        });
    }

    var NODE_WIDTH = 150;
    var NODE_HEIGHT = 26;
    var COLUMN_GAP = 40;
    var ROW_GAP = 14;

    function renderLineage(lineage) {
        var graph = document.getElementById('lineage');
        var width = lineage.columns * (NODE_WIDTH + COLUMN_GAP);
        var rows = Math.max.apply(null, [1].concat(lineage.nodes.map(function (node) { return node.row + 1; })));
        var height = rows * (NODE_HEIGHT + ROW_GAP) + 20;
        graph.setAttribute('viewBox', '0 0 ' + width + ' ' + height);
        graph.replaceChildren();
        var at = {};
        lineage.nodes.forEach(function (node) {
            at[node.id] = {x: 10 + node.column * (NODE_WIDTH + COLUMN_GAP), y: 10 + node.row * (NODE_HEIGHT + ROW_GAP)};
        });
        lineage.edges.forEach(function (edge) {
            var from = at[edge.from];
            var to = at[edge.to];
            if (!from || !to) { return; }
            var x1 = from.x + NODE_WIDTH;
            var y1 = from.y + NODE_HEIGHT / 2;
            var x2 = to.x;
            var y2 = to.y + NODE_HEIGHT / 2;
            var reading = edge.groupId !== null && edge.groupId !== undefined;
            var group = svg('g', {'class': 'edge' + (reading ? ' read' : ' write') + (reading && edge.lag > 0 ? ' behind' : ''),
                'data-from': edge.from, 'data-to': edge.to, 'data-group': reading ? edge.groupId : ''});
            // A reader to the left of its topic (a service reading what a later service wrote) curves back.
            var bend = x2 > x1 ? (x2 - x1) / 2 : 80;
            group.appendChild(svg('path', {d: 'M' + x1 + ',' + y1 + ' C' + (x1 + bend) + ',' + y1 + ' ' + (x2 - bend) + ','
                + y2 + ' ' + x2 + ',' + y2}));
            var perSecond = edge.recordsPerSecond === null || edge.recordsPerSecond === undefined ? null
                : rate.format(edge.recordsPerSecond) + '/s';
            // a read edge: how far behind the group is, and how fast it reads (once two readings exist)
            var label = reading ? 'lag ' + (edge.lagExact ? '' : '≤') + number.format(edge.lag) + (perSecond === null ? '' : ' · ' + perSecond)
                : (perSecond === null ? '' : perSecond);
            group.appendChild(svg('title', null, reading ? edge.groupId + ' reads ' + edge.from + ': ' + label
                : edge.to + ': ' + label));
            if (label) {
                group.appendChild(svg('text', {'class': 'edge-label', x: (x1 + x2) / 2, y: (y1 + y2) / 2 - 3}, label));
            }
            graph.appendChild(group);
        });
        lineage.nodes.forEach(function (node) {
            var group = svg('g', {'class': 'node node-' + node.kind.toLowerCase(), 'data-node': node.id});
            group.appendChild(svg('rect', {x: at[node.id].x, y: at[node.id].y, width: NODE_WIDTH, height: NODE_HEIGHT, rx: 5}));
            group.appendChild(svg('text', {x: at[node.id].x + 6, y: at[node.id].y + 17}, node.label));
            graph.appendChild(group);
        });
    }

    var timelineRequests = 0;

    function renderTimeline() {
        var panel = document.getElementById('timeline-panel');
        var match = /^#bus\/(.+)$/.exec(window.location.hash);
        if (!match) {
            panel.hidden = true;
            return;
        }
        var busId = decodeURIComponent(match[1]);
        panel.hidden = false;
        panel.setAttribute('data-bus-id', busId);
        document.getElementById('timeline-bus').textContent = busId;
        var request = ++timelineRequests;
        fetch('api/v1/dashboard/buses/' + encodeURIComponent(busId) + '/timeline', {headers: {Accept: 'application/json'}})
            .then(function (response) { return response.ok ? response.json() : null; })
            .then(function (timeline) {
                // Requests overlap (one per push, and a click on another bus): an older reply, or one for the bus
                // shown before, must not fill the table under this bus's name.
                if (request !== timelineRequests || panel.getAttribute('data-bus-id') !== busId) { return; }
                var rows = timeline ? timeline.entries.map(function (entry) {
                    var row = el('tr', {'data-what': entry.what, 'class': entry.what === 'DISCREPANCY' ? 'alarm' : ''});
                    row.appendChild(timeCell(entry.at));
                    row.appendChild(el('td', null, entry.what.replace(/_/g, ' ').toLowerCase()));
                    row.appendChild(el('td', null, entry.place || '—'));
                    row.appendChild(el('td', null, entry.personId || '—'));
                    row.appendChild(el('td', null, entry.detail || ''));
                    return row;
                }) : [];
                replaceRows(document.querySelector('#timeline tbody'), rows,
                    timeline ? 'Nothing recorded yet.' : 'The console has not seen this bus.', 5);
            });
    }

    var lastRendered = '';

    function render(dashboard) {
        // The first fetch and the stream race at load; never let an older picture replace a newer one.
        if (dashboard.generatedAt < lastRendered) { return; }
        lastRendered = dashboard.generatedAt;
        renderAttention(dashboard.attention);
        renderAcknowledged(dashboard.acknowledged);
        renderLineage(dashboard.lineage);
        renderRounds(dashboard.rounds);
        if (!document.getElementById('timeline-panel').hidden) { renderTimeline(); }
        renderMap(dashboard.route, dashboard.buses);
        renderBuses(dashboard.buses);
        renderAlerts(dashboard.alerts);
        renderTopics(dashboard.topics);
        document.getElementById('unreadable').textContent = number.format(dashboard.unreadableRecords);
        var updated = document.getElementById('updated');
        updated.textContent = localTime(dashboard.generatedAt);
        updated.setAttribute('datetime', dashboard.generatedAt);
        document.body.setAttribute('data-generated-at', dashboard.generatedAt);
    }

    function connection(state, text) {
        var pill = document.getElementById('connection');
        pill.className = 'pill pill-' + state;
        pill.textContent = text;
    }

    var POLL_INTERVAL_MS = 2000;
    var STREAM_SILENCE_MS = 15000;

    // Where the browser has no EventSource (some embedded and test browsers), ask for the dashboard every
    // two seconds instead: the same figures, a little later.
    function poll() {
        fetch('api/v1/dashboard', {headers: {Accept: 'application/json'}})
            .then(function (response) {
                if (response.ok) { return response.json(); }
                // a console restarted or failed over has forgotten the session: only signing in again helps
                connection(response.status === 401 ? 'lost' : 'waiting',
                    response.status === 401 ? 'signed out: reload the page to sign in' : 'reconnecting…');
                return null;
            })
            .then(function (dashboard) {
                if (dashboard) {
                    connection('live', 'live');
                    render(dashboard);
                }
            })
            .catch(function () { connection('lost', 'server unreachable'); })
            .then(function () { setTimeout(poll, POLL_INTERVAL_MS); });
    }

    var polling = false;

    function startPolling() {
        if (polling) { return; }
        polling = true;
        document.getElementById('connection').setAttribute('data-transport', 'polling');
        poll();
    }

    function connect() {
        if (typeof window.EventSource !== 'function') {
            startPolling();
            return;
        }
        document.getElementById('connection').setAttribute('data-transport', 'stream');
        var source;
        try {
            source = new EventSource('api/v1/dashboard/stream');
        } catch (refused) {
            startPolling();
            return;
        }
        var streamed = false;
        // The server sends the dashboard as soon as a stream opens. A stream that stays silent is held back by
        // a buffering proxy or a browser that only pretends to stream: poll instead of showing nothing.
        setTimeout(function () {
            if (streamed) { return; }
            if (typeof source.close === 'function') { source.close(); }
            startPolling();
        }, STREAM_SILENCE_MS);
        source.addEventListener('dashboard', function (event) {
            streamed = true;
            connection('live', 'live');
            render(JSON.parse(event.data));
        });
        source.onerror = function () {
            if (source.readyState === EventSource.CLOSED) {
                // The browser gives a stream up for good when its reconnection is answered with anything but a
                // stream (a console restarted: 401; a proxy while it starts: 503; too many streams: 429), and the
                // page froze on its last figures: ask for them every two seconds instead.
                connection('lost', 'reconnecting…');
                startPolling();
                return;
            }
            // EventSource retries by itself; say so instead of showing stale figures as live.
            connection('waiting', 'reconnecting…');
        };
    }

    window.addEventListener('hashchange', renderTimeline);
    renderTimeline();
    document.getElementById('time-zone').textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
    fetch('api/v1/dashboard', {headers: {Accept: 'application/json'}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (dashboard) { if (dashboard) { render(dashboard); } })
        .catch(function () { connection('lost', 'server unreachable'); });
    connect();
}());
