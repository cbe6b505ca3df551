// Preloaded by `bun test` (bunfig.toml). Tests must not depend on the host's time zone.
process.env.TZ = "UTC";
