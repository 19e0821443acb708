/**
 * {@code flexos explore}: the configuration space of an image, the partial safety order over it (SPEC §7),
 * performance budgets, exhaustive and budgeted search, a durable SQLite results store, real measurement of running
 * images, and an HTML report. Everything except {@link flexos.explore.measure} runs without starting any image.
 */
module flexos.explore {
    requires java.sql;
    requires org.xerial.sqlitejdbc;

    exports flexos.explore;
    exports flexos.explore.space;
    exports flexos.explore.order;
    exports flexos.explore.budget;
    exports flexos.explore.search;
    exports flexos.explore.store;
    exports flexos.explore.measure;
    exports flexos.explore.report;
}
