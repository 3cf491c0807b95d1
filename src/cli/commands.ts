/** Imports every command module so each registers itself. */
import "./keys.ts";
import "./node.ts";
import "./selftest.ts";
