/** A Redis-compatible server, the application of the Redis image. It calls the LibOS only through gates. */
module flexos.redis {
    requires flexos.alloc.api;
    requires flexos.libc.api;
    requires flexos.sched.api;
    requires flexos.net.api;
    requires flexos.vfs.api;
    requires flexos.lua.api;
    provides flexos.core.component.Library with flexos.redis.RedisLibrary;
}
