package io.slipway.runtime.domain;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import javax.naming.NameNotFoundException;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;

/** TXT records through the JDK's DNS provider (JNDI), by default with the system's name servers. */
final class JndiTxtResolver implements TxtResolver {

  private final Duration timeout;
  private final String servers;

  /** With the system's name servers. */
  JndiTxtResolver(Duration timeout) {
    this(timeout, "dns:");
  }

  /** With the name servers of this JNDI DNS URL, e.g. {@code dns://127.0.0.1:5353}. */
  JndiTxtResolver(Duration timeout, String servers) {
    this.timeout = timeout;
    this.servers = servers;
  }

  @Override
  public List<String> txt(String name) throws IOException {
    Hashtable<String, String> env = new Hashtable<>();
    env.put(DirContext.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.dns.DnsContextFactory");
    env.put(DirContext.PROVIDER_URL, servers);
    // the provider doubles the timeout on each retry: one try of the whole budget
    env.put("com.sun.jndi.dns.timeout.initial", Long.toString(timeout.toMillis()));
    env.put("com.sun.jndi.dns.timeout.retries", "1");
    DirContext context = null;
    try {
      context = new InitialDirContext(env);
      Attributes attributes = context.getAttributes(name, new String[] {"TXT"});
      Attribute txt = attributes.get("TXT");
      List<String> values = new ArrayList<>();
      if (txt != null) {
        NamingEnumeration<?> all = txt.getAll();
        while (all.hasMore()) {
          values.add(unquote(String.valueOf(all.next())));
        }
      }
      return values;
    } catch (NameNotFoundException absent) {
      return List.of();
    } catch (NamingException e) {
      throw new IOException("DNS could not be asked", e);
    } finally {
      if (context != null) {
        try {
          context.close();
        } catch (NamingException ignored) {
          // nothing held that matters
        }
      }
    }
  }

  /**
   * The record's strings joined, as DNS means them: JNDI shows a record of several strings
   * separated by spaces, quoting a string that holds a space ({@code abc "d e"}).
   */
  static String unquote(String record) {
    StringBuilder joined = new StringBuilder();
    boolean quoted = false;
    for (char c : record.strip().toCharArray()) {
      if (c == '"') {
        quoted = !quoted;
      } else if (c != ' ' || quoted) {
        joined.append(c);
      }
    }
    return joined.toString();
  }
}
