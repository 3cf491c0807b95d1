/** Imports every command module so each registers itself. */
import "./keys.ts";
import "./selftest.ts";
