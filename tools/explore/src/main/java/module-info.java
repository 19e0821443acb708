/**
 * {@code flexos explore}: the configuration space of an image, the partial safety order over it (SPEC §7),
 * performance budgets, exhaustive and budgeted search, measurements with their confidence intervals, a durable
 * SQLite results store, real measurement of running images, applications' exploration profiles, and the reports.
 * Everything except {@link flexos.explore.measure} runs without starting any image.
 */
module flexos.explore {
    requires java.sql;
    requires flexos.core;
    requires org.snakeyaml.engine.v2;
    requires org.xerial.sqlitejdbc;
    requires org.apache.commons.csv;
    requires com.fasterxml.jackson.databind;
    requires commons.math3;

    exports flexos.explore;
    exports flexos.explore.space;
    exports flexos.explore.order;
    exports flexos.explore.budget;
    exports flexos.explore.search;
    exports flexos.explore.stats;
    exports flexos.explore.store;
    exports flexos.explore.measure;
    exports flexos.explore.profile;
    exports flexos.explore.slurm;
    exports flexos.explore.report;
}
