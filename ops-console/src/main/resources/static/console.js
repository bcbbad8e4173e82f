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
            // Stagger labels a little so that buses travelling together stay readable.
            var dy = (index % 2 === 0) ? -14 : 24;
            group.appendChild(svg('text', {x: point.x + 12, y: point.y + dy / 2}, bus.busId));
            map.appendChild(group);
        });
    }

    function renderBuses(buses) {
        var rows = buses.map(function (entry) {
            var bus = entry.bus;
            var row = el('tr', {'data-bus-id': bus.busId});
            row.appendChild(el('td', null, bus.busId));
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

    var lastRendered = '';

    function render(dashboard) {
        // The first fetch and the stream race at load; never let an older picture replace a newer one.
        if (dashboard.generatedAt < lastRendered) { return; }
        lastRendered = dashboard.generatedAt;
        renderRounds(dashboard.rounds);
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

    function connect() {
        var source = new EventSource('api/v1/dashboard/stream');
        source.addEventListener('dashboard', function (event) {
            connection('live', 'live');
            render(JSON.parse(event.data));
        });
        source.onerror = function () {
            // EventSource retries by itself; say so instead of showing stale figures as live.
            connection(source.readyState === EventSource.CLOSED ? 'lost' : 'waiting', 'reconnecting…');
        };
    }

    document.getElementById('time-zone').textContent = Intl.DateTimeFormat().resolvedOptions().timeZone;
    fetch('api/v1/dashboard', {headers: {Accept: 'application/json'}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (dashboard) { if (dashboard) { render(dashboard); } })
        .catch(function () { connection('lost', 'server unreachable'); });
    connect();
}());
