/** Imports every command module so each registers itself. */
import "./db.ts";
import "./devnet.ts";
import "./init.ts";
import "./keys.ts";
import "./network.ts";
import "./node.ts";
import "./selftest.ts";
import "./staking.ts";
import "./status.ts";
import "./tx.ts";
