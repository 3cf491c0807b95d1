// The status page's markup: empty cards with the element ids the script fills (and tests read).
export const PAGE_BODY = `
<header>
  <h1>harmony-ts node</h1>
  <span id="conn-state" class="conn connecting">connecting…</span>
  <span id="node-ids" class="ids"></span>
</header>
<main>
  <section id="card-head">
    <h2>Head</h2>
    <div class="big" id="head-number">–</div>
    <dl>
      <dt>age</dt><dd id="head-age">–</dd>
      <dt>hash</dt><dd id="head-hash" class="mono">–</dd>
      <dt>epoch</dt><dd id="epoch">–</dd>
      <dt>beacon epoch</dt><dd id="beacon-epoch">–</dd>
      <dt>blocks/epoch</dt><dd id="epoch-blocks">–</dd>
    </dl>
  </section>
  <section id="card-finality">
    <h2>Finality</h2>
    <dl>
      <dt>block interval</dt><dd id="finality-mean">–</dd>
      <dt>commit delay</dt><dd id="commit-delay-mean">–</dd>
      <dt>window</dt><dd id="finality-window">–</dd>
    </dl>
    <div class="scroll">
      <table>
        <thead><tr><th>block</th><th>interval</th><th>commit</th><th>signers</th></tr></thead>
        <tbody id="recent-blocks"></tbody>
      </table>
    </div>
  </section>
  <section id="card-consensus">
    <h2>Consensus</h2>
    <dl>
      <dt>mode</dt><dd id="mode">–</dd>
      <dt>phase</dt><dd id="phase">–</dd>
      <dt>view</dt><dd id="view-id">–</dd>
      <dt>leader</dt><dd id="leader" class="mono">–</dd>
      <dt>this node leads</dt><dd id="is-leader">–</dd>
      <dt>committed here</dt><dd id="blocks-committed">–</dd>
      <dt>view changes</dt><dd id="view-changes">–</dd>
      <dt>views entered</dt><dd id="views-entered">–</dd>
    </dl>
  </section>
  <section id="card-committee" class="wide">
    <h2>Committee <span id="committee-summary" class="muted"></span></h2>
    <div class="scroll">
      <table>
        <thead><tr><th>slot</th><th>key</th><th>validator</th><th>signed</th><th>missed</th><th>share</th><th>last signed</th></tr></thead>
        <tbody id="committee-rows"></tbody>
      </table>
    </div>
  </section>
  <section id="card-keys" class="wide">
    <h2>This node's keys</h2>
    <div class="scroll">
      <table>
        <thead><tr><th>key</th><th>slot</th><th>last signed</th><th>since start ✓/✗</th></tr></thead>
        <tbody id="my-keys"></tbody>
      </table>
    </div>
  </section>
  <section id="card-sync">
    <h2>Sync</h2>
    <dl>
      <dt>state</dt><dd id="sync-state">–</dd>
      <dt>blocks</dt><dd id="sync-blocks">–</dd>
      <dt>rate</dt><dd id="sync-rate">–</dd>
      <dt>ETA</dt><dd id="sync-eta">–</dd>
    </dl>
    <progress id="sync-progress" max="1" value="0"></progress>
  </section>
  <section id="card-txpool">
    <h2>Txpool</h2>
    <dl>
      <dt>pending</dt><dd id="txpool-pending">–</dd>
      <dt>queued</dt><dd id="txpool-queued">–</dd>
    </dl>
  </section>
  <section id="card-peers" class="wide">
    <h2>Peers <span id="peer-count" class="muted">–</span></h2>
    <div class="scroll">
      <table>
        <thead><tr><th>id</th><th>url</th><th>direction</th><th>head</th><th>score</th><th>connected</th></tr></thead>
        <tbody id="peer-rows"></tbody>
      </table>
    </div>
  </section>
  <section id="card-shards">
    <h2>Shards</h2>
    <div class="scroll">
      <table>
        <thead><tr><th>shard</th><th>head</th><th>epoch</th><th>last crosslink</th></tr></thead>
        <tbody id="shard-rows"></tbody>
      </table>
    </div>
    <dl><dt>CX receipts pending</dt><dd id="cx-pending">–</dd></dl>
  </section>
  <section id="card-staking">
    <h2>Staking</h2>
    <dl>
      <dt>epoch</dt><dd id="staking-epoch">–</dd>
      <dt>total staked</dt><dd id="staking-total">–</dd>
      <dt>total supply</dt><dd id="staking-supply">–</dd>
      <dt>validators elected</dt><dd id="staking-elected">–</dd>
      <dt>epoch ends at</dt><dd id="staking-epoch-end">–</dd>
    </dl>
  </section>
</main>
<footer>
  <span id="updated-at">no snapshot yet</span>
  <span id="error"></span>
</footer>
`;
