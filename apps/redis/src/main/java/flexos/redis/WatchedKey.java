package flexos.redis;

/** A key a client WATCHes: its database, its bytes, and whether it existed with a time to live that could expire. */
record WatchedKey(int db, ByteString key, boolean expiredAtWatch) {
}
