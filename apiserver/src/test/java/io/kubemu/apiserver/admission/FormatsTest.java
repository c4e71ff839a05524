package io.kubemu.apiserver.admission;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FormatsTest {
  @ParameterizedTest(name = "{0} is an IP: {1}")
  @CsvSource({
      "10.43.0.1, true", "010.1.1.1, true", "256.1.1.1, false", "10.43.0, false", "web-1, false", "'', false",
      "::1, true", "::, true", "fe80::1:2, true", "2001:db8:0:0:0:0:0:ffff, true", "::ffff:10.0.0.1, true",
      "1:2, false", "1::2::3, false", "2001:db8:0:0:0:0:0:0:1, false", "12345::1, false", "fe80::1%eth0, false"})
  void ipsAreWhatGoParsesAsIps(String text, boolean ip) {
    assertThat(Formats.isIp(text)).isEqualTo(ip);
  }

  @ParameterizedTest(name = "{0} is a CIDR: {1}")
  @CsvSource({"10.42.0.0/24, true", "10.42.0.0/33, false", "2001:db8::/64, true", "10.42.0.0, false"})
  void cidrsAreAnIpAndAPrefixThatFits(String text, boolean cidr) {
    assertThat(Formats.isCidr(text)).isEqualTo(cidr);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "example.com/MyName | \"\"",
      "MyName | \"\"",
      "/name | prefix part must be non-empty",
      "a/b/c | a qualified name must consist of alphanumeric characters, '-', '_' or '.', and must start and end with "
          + "an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
          + "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and '/' (e.g. "
          + "'example.com/MyName')"})
  void labelKeysAreQualifiedNames(String key, String problem) {
    assertThat(String.join("; ", Formats.qualifiedName(key))).isEqualTo(problem);
  }
}
