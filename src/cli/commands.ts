/** Imports every command module so each registers itself. */
import "./keys.ts";
