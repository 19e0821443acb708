package flexos.redis;

/** A Redis set: a {@link Dict} of off-heap member blocks. */
final class SetValue {

    final Dict members;

    SetValue(Blocks blocks) {
        this.members = new Dict(blocks);
    }

    void freeAll(Blocks blocks) {
        members.forEach(e -> blocks.free(e.key));
        members.clear();
    }
}
