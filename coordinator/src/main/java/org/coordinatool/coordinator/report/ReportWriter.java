package org.coordinatool.coordinator.report;

/**
 * File operations of the reporting feature. Calls are made on the state loop and must not block:
 * implementations run them elsewhere, in call order.
 */
public interface ReportWriter {

    /** Appends one line to the named report file, creating it if needed. */
    void append(String name, byte[] line);

    /** Deletes the named report file. */
    void delete(String name);

    ReportWriter NONE = new ReportWriter() {
        public void append(String name, byte[] line) { }

        public void delete(String name) { }
    };
}
