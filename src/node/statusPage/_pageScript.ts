// The status page's script (inline; its hash is in the page's CSP). It talks JSON-RPC over one WebSocket
// to the same origin's /ws: eth_subscribe("newHeads") moves the head number at once and asks for a
// fresh hmy_getNodeStatus; a timer asks every few seconds too. A dropped socket shows "disconnected"
// and reconnects with backoff. Text goes in through textContent only (peer URLs are not markup).
// Plain ES2017 without template literals, so it can live in this TS string as written.
export const PAGE_SCRIPT = `
"use strict";
(function () {
  var REFRESH_MS = 3000;
  var ws = null;
  var nextId = 1;
  var waiting = {};
  var retryMs = 500;
  var last = null;
  var lastAt = 0;

  function $(id) { return document.getElementById(id); }
  function put(id, v) { var el = $(id); if (el) el.textContent = v === null || v === undefined ? "–" : String(v); }
  function short(hex) { return typeof hex === "string" && hex.length > 18 ? hex.slice(0, 10) + "…" + hex.slice(-6) : (hex || "–"); }
  function secs(s) {
    if (s === null || s === undefined) return "–";
    if (s < 120) return s.toFixed(s < 10 ? 2 : 1) + " s";
    if (s < 7200) return (s / 60).toFixed(1) + " min";
    return (s / 3600).toFixed(1) + " h";
  }
  function tokens(d) {
    if (typeof d !== "string") return "–";
    var i = d.indexOf(".");
    var whole = i < 0 ? d : d.slice(0, i);
    return whole.replace(/\\B(?=(\\d{3})+(?!\\d))/g, ",");
  }
  function cell(row, value, cls, title) {
    var td = document.createElement("td");
    if (value instanceof Node) td.appendChild(value); else td.textContent = value === null || value === undefined ? "–" : String(value);
    if (cls) td.className = cls;
    if (title) td.title = title;
    row.appendChild(td);
    return td;
  }
  function tag(text, cls) { var s = document.createElement("span"); s.className = "tag " + cls; s.textContent = text; return s; }
  function fill(id, items, build) {
    var body = $(id);
    if (!body) return;
    var rows = document.createDocumentFragment();
    items.forEach(function (item) { var tr = document.createElement("tr"); build(tr, item); rows.appendChild(tr); });
    body.replaceChildren(rows);
  }

  function setConn(state, text) { var el = $("conn-state"); el.className = "conn " + state; el.textContent = text; }

  function send(method, params, kind) {
    if (!ws || ws.readyState !== WebSocket.OPEN) return;
    var id = nextId++;
    waiting[id] = kind;
    ws.send(JSON.stringify({ jsonrpc: "2.0", id: id, method: method, params: params }));
  }
  function refresh() { send("hmy_getNodeStatus", [], "status"); }

  function renderHead(s) {
    put("head-number", s.head.number);
    put("head-hash", s.head.hash);
    put("epoch", s.epoch.current);
    put("beacon-epoch", s.epoch.beacon);
    put("epoch-blocks", s.epoch.blocksPerEpoch);
    put("node-ids", "v" + s.version + " · network " + s.networkId + " · shard " + s.shardId + " · chain id " + s.chainId);
  }
  function renderFinality(f) {
    put("finality-mean", f.meanIntervalSeconds === null ? null : secs(f.meanIntervalSeconds) + " per block");
    put("commit-delay-mean", f.meanCommitDelaySeconds === null ? "not seen live" : secs(f.meanCommitDelaySeconds) + " after the header time");
    put("finality-window", f.window + " blocks");
    fill("recent-blocks", f.recent, function (tr, b) {
      cell(tr, "#" + b.number, "mono", b.hash);
      cell(tr, b.intervalSeconds === null ? null : secs(b.intervalSeconds));
      cell(tr, b.commitDelaySeconds === null ? null : secs(b.commitDelaySeconds));
      cell(tr, b.signers === null ? null : b.signers + "/" + b.committeeSize);
    });
  }
  function renderConsensus(c) {
    if (c === null) {
      ["mode", "phase", "view-id", "leader", "is-leader", "blocks-committed", "views-entered"].forEach(function (id) { put(id, null); });
      put("view-changes", "no consensus on this node");
      return;
    }
    put("mode", c.mode);
    put("phase", c.phase);
    put("view-id", c.viewId);
    put("leader", c.leaderKey === null ? "slot " + c.leaderSlot : "slot " + c.leaderSlot + " " + short(c.leaderKey));
    put("is-leader", c.isLeader ? "yes" : "no");
    put("blocks-committed", c.blocksCommitted);
    put("view-changes", c.viewChangesTotal);
    put("views-entered", Object.keys(c.viewsEntered).map(function (k) { return k + " " + c.viewsEntered[k]; }).join(", ") || null);
  }
  function renderCommittee(s) {
    var c = s.committee;
    var leader = s.consensus ? s.consensus.leaderKey : null;
    put("committee-summary", c === null ? "(none on this node)" : "epoch " + c.epoch + " · " + c.size + " keys · last " + s.finality.window + " blocks");
    fill("committee-rows", c === null ? [] : c.keys, function (tr, k) {
      tr.className = "committee-row" + (k.mine ? " mine" : "");
      var due = k.signed + k.missed;
      var share = document.createElement("progress");
      share.max = 1;
      share.value = due ? k.signed / due : 0;
      cell(tr, k.slot);
      var key = cell(tr, short(k.key), "mono", k.key);
      if (k.mine) key.appendChild(tag("this node", "mine"));
      if (k.key === leader) key.appendChild(tag("leader", "leader"));
      cell(tr, short(k.validator), "mono", k.validator);
      cell(tr, k.signed);
      cell(tr, k.missed, k.missed ? "missed" : "");
      var pct = cell(tr, share);
      pct.appendChild(document.createTextNode(" " + (due ? Math.round((100 * k.signed) / due) + "%" : "–")));
      cell(tr, k.lastSigned === null ? null : "#" + k.lastSigned);
    });
  }
  function renderKeys(keys) {
    fill("my-keys", keys.length ? keys : [null], function (tr, k) {
      if (k === null) { cell(tr, "none: not a validator", "muted").colSpan = 4; return; }
      cell(tr, short(k.key), "mono", k.key);
      cell(tr, k.slot === null ? "not elected" : k.slot);
      cell(tr, k.lastSigned === null ? null : "#" + k.lastSigned);
      cell(tr, k.signedSinceStart + " / " + k.missedSinceStart, k.missedSinceStart ? "missed" : "");
    });
  }
  function renderPeers(p) {
    put("peer-count", "(" + p.count + ")");
    fill("peer-rows", p.list, function (tr, x) {
      tr.className = "peer-row";
      cell(tr, short(x.id), "mono", x.id);
      cell(tr, x.url || "–", "mono");
      cell(tr, x.direction);
      cell(tr, "#" + x.head);
      cell(tr, x.score);
      cell(tr, secs(x.connectedSeconds));
    });
  }
  function renderSync(y) {
    put("sync-state", y.syncing ? "syncing" : "in sync");
    put("sync-blocks", y.currentBlock + " / " + y.highestBlock);
    put("sync-rate", y.blocksPerSecond === null ? null : y.blocksPerSecond.toFixed(1) + " blocks/s");
    put("sync-eta", y.syncing ? (y.etaSeconds === null ? "unknown" : secs(y.etaSeconds)) : "–");
    var p = $("sync-progress");
    var total = y.highestBlock - y.startingBlock;
    p.value = total > 0 ? (y.currentBlock - y.startingBlock) / total : 1;
  }
  function renderShards(s) {
    var links = {};
    (s.crossLinks || []).forEach(function (l) { links[l.shardId] = l; });
    fill("shard-rows", s.shards, function (tr, x) {
      cell(tr, x.shardId + (x.home ? " (home)" : "") + (x.shardId === 0 ? " beacon" : ""));
      cell(tr, "#" + x.head);
      cell(tr, x.epoch);
      var l = links[x.shardId];
      cell(tr, l ? "#" + l.blockNumber + " (epoch " + l.epoch + ")" : null);
    });
    put("cx-pending", s.cxPending === null ? "– (one shard)" : s.cxPending);
  }
  function renderStaking(k) {
    if (k === null) { ["staking-epoch", "staking-total", "staking-supply", "staking-elected", "staking-epoch-end"].forEach(function (id) { put(id, null); }); return; }
    put("staking-epoch", k.epoch);
    put("staking-total", tokens(k.totalStaked));
    put("staking-supply", tokens(k.totalSupply));
    put("staking-elected", k.validatorsElected);
    put("staking-epoch-end", "#" + k.epochLastBlock);
  }
  function render(s) {
    last = s;
    lastAt = Date.now();
    renderHead(s);
    renderFinality(s.finality);
    renderConsensus(s.consensus);
    renderCommittee(s);
    renderKeys(s.myKeys);
    renderPeers(s.peers);
    renderSync(s.sync);
    put("txpool-pending", s.txpool.pending);
    put("txpool-queued", s.txpool.queued);
    renderShards(s);
    renderStaking(s.staking);
    put("error", "");
    tick();
  }
  // Ages move between snapshots: from the node's clock at the snapshot plus the time since it came.
  function tick() {
    if (last === null) return;
    var elapsed = (Date.now() - lastAt) / 1000;
    put("head-age", secs(last.head.ageSeconds + elapsed) + " ago");
    put("updated-at", "snapshot " + secs(elapsed) + " ago");
  }

  function onHead(h) {
    var num = parseInt(h.number, 16);
    if (!isNaN(num) && (last === null || num > last.head.number)) put("head-number", num);
    refresh();
  }
  function onMessage(ev) {
    var m;
    try { m = JSON.parse(ev.data); } catch (e) { return; }
    if (m.method === "eth_subscription") { if (m.params && m.params.result) onHead(m.params.result); return; }
    var kind = waiting[m.id];
    delete waiting[m.id];
    if (m.error) { put("error", "· " + (kind || "request") + " failed: " + m.error.message); return; }
    if (kind === "status") render(m.result);
  }
  function connect() {
    setConn("connecting", "connecting…");
    var socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/ws");
    ws = socket;
    socket.onopen = function () {
      retryMs = 500;
      setConn("live", "live");
      send("eth_subscribe", ["newHeads"], "subscribe");
      refresh();
    };
    socket.onmessage = onMessage;
    socket.onclose = function () {
      if (ws !== socket) return;
      ws = null;
      waiting = {};
      setConn("down", "disconnected");
      setTimeout(connect, retryMs);
      retryMs = Math.min(retryMs * 2, 8000);
    };
  }

  setInterval(refresh, REFRESH_MS);
  setInterval(tick, 1000);
  connect();
})();
`;
