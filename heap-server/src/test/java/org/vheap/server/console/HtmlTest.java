package org.vheap.server.console;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HtmlTest {
    @Test
    void textFromTheStoreIsNeverMarkup() {
        assertThat(Html.text("<script>alert('x')</script> & \"q\"")).isEqualTo(
                "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;");
        assertThat(Html.text(null)).isEmpty();
        assertThat(Html.json("a\"b\\c\n</script>\u0001")).isEqualTo("\"a\\\"b\\\\c\\n\\u003c/script>\\u0001\"");
        assertThat(Html.url("a b/c?d&e")).isEqualTo("a%20b%2Fc%3Fd%26e");
    }

    @Test
    void sizesAndAddressesReadAsTheCliPrintsThem() {
        assertThat(Html.bytes(12)).isEqualTo("12 B");
        assertThat(Html.bytes(1536)).isEqualTo("1.5 KiB");
        assertThat(Html.bytes(5L << 20)).isEqualTo("5.0 MiB");
        assertThat(Html.bytes(3L << 30)).isEqualTo("3.00 GiB");
        assertThat(Html.address(0x1f08)).isEqualTo("0x1f08");
    }
}
