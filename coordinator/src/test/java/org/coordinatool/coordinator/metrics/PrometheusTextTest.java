package org.coordinatool.coordinator.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The strict exposition-format reader the metrics tests rely on must itself refuse bad text. */
class PrometheusTextTest {

    @Test
    void readsFamiliesLabelsAndSpecialValues() {
        PrometheusText p = PrometheusText.parse("""
                # HELP x_total Things.
                # TYPE x_total counter
                x_total{a="1",b="q\\"\\\\\\n"} 3.0
                x_total{a="2"} 4 1700000000000
                # TYPE h histogram
                h_bucket{le="+Inf"} 2
                h_count 2
                h_sum NaN
                g -Inf
                """);
        assertEquals(3.0, p.value("x_total", "a", "1"));
        assertEquals(Map.of("a", "1", "b", "q\"\\\n"), p.samples().get(0).labels());
        assertEquals(2.0, p.value("h_bucket", "le", "+Inf"));
        assertEquals(Double.NEGATIVE_INFINITY, p.value("g"));
        assertTrue(Double.isNaN(p.value("h_sum")));
        assertEquals("histogram", p.type("h"));
        assertEquals(java.util.Set.of("x_total", "h_bucket", "h_count", "h_sum", "g"), p.names());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "1x 1\n", "x{a=\"1\" 1\n", "x{a=1} 1\n", "x{a=\"\\t\"} 1\n", "x{1a=\"\"} 1\n", "x one\n", "x 1 2 3\n",
        "x 1 t\n", "x{a=\"1\",a=\"2\"} 1\n", "# TYPE x countr\nx 1\n", "# TYPE x gauge\n# TYPE x gauge\nx 1\n",
        "x 1\n# TYPE x gauge\n", "# TYPE x gauge\nx 1\ny 1\nx{a=\"b\"} 2\n", "x 1", "x  1\n", "x{a=\"1\"}1\n"})
    void refusesWhatPrometheusRefuses(String text) {
        assertThrows(IllegalArgumentException.class, () -> PrometheusText.parse(text));
    }

    @Test
    void valueNeedsExactlyOneMatch() {
        PrometheusText p = PrometheusText.parse("x{a=\"1\"} 1\nx{a=\"2\"} 2\n");
        assertThrows(AssertionError.class, () -> p.value("x"));
        assertThrows(AssertionError.class, () -> p.value("y"));
    }
}
