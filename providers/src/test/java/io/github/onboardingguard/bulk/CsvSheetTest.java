package io.github.onboardingguard.bulk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

class CsvSheetTest {

    @Test
    @DisplayName("quoted cells keep commas, line breaks and doubled quotes; lines are counted from the header")
    void quotedCells() {
        CsvSheet sheet = CsvSheet.parse("a,b\r\n\"x, y\",\"say \"\"hi\"\"\"\n\"two\nlines\",z\nlast,row\n", 10);
        assertThat(sheet.header()).containsExactly("a", "b");
        assertThat(sheet.rows())
                .extracting(CsvSheet.Row::cells)
                .containsExactly(List.of("x, y", "say \"hi\""), List.of("two\nlines", "z"), List.of("last", "row"));
        assertThat(sheet.rows()).extracting(CsvSheet.Row::line).containsExactly(2, 3, 5);
    }

    @Test
    @DisplayName("a row that cannot be read keeps its problem and the rows after it are still read")
    void malformedRows() {
        CsvSheet sheet = CsvSheet.parse("a,b\nfine,row\nst\"ray,quote\nx\"y\" z,w\none\nok,again\n", 10);
        assertThat(sheet.rows())
                .extracting(CsvSheet.Row::problem)
                .containsExactly(
                        null,
                        "a quote inside a cell that does not start with one",
                        "a quote inside a cell that does not start with one",
                        "has 1 cells where the header names 2",
                        null);
        assertThat(sheet.rows().get(4).cells()).containsExactly("ok", "again");
    }

    @Test
    @DisplayName("an unclosed quote, text after a closing quote, a byte order mark and empty lines")
    void edges() {
        assertThat(CsvSheet.parse("\uFEFFa\n\"never closed\n", 10).rows().get(0).problem())
                .isEqualTo("a quote that is never closed");
        assertThat(CsvSheet.parse("a\n\"q\"tail\n", 10).rows().get(0).problem())
                .isEqualTo("text after the closing quote of a cell");
        CsvSheet sheet = CsvSheet.parse("\uFEFFa\n\n1\n\n", 10);
        assertThat(sheet.header()).containsExactly("a");
        assertThat(sheet.rows()).hasSize(1);
    }

    @Test
    @DisplayName("more rows than allowed, an empty file and an unreadable header are refused as a whole")
    void refusedFiles() {
        assertThatThrownBy(() -> CsvSheet.parse("a\n1\n2\n3\n", 2)).isInstanceOf(CsvSheet.TooManyRowsException.class);
        assertThat(CsvSheet.parse("a\n1\n2\n", 2).rows()).hasSize(2);
        assertThatThrownBy(() -> CsvSheet.parse("\n\n", 2)).isInstanceOf(CsvSheet.MalformedHeaderException.class);
        assertThatThrownBy(() -> CsvSheet.parse("\"a,b\n", 2)).isInstanceOf(CsvSheet.MalformedHeaderException.class);
    }
}
