package io.slipway.governance.advisory;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;

/**
 * Maven's version order (the "Version Order Specification" of Maven's POM reference, which
 * ComparableVersion implements).
 *
 * <p>A version splits into tokens at {@code .}, at {@code -}, and at each change between digits and
 * letters (which counts as a {@code -}); each {@code -} opens a nested list. Trailing "null" tokens
 * ({@code 0}, {@code ""}, {@code final}, {@code ga}, {@code release}) are dropped. Lists compare
 * item by item, the shorter padded with nulls. Numbers compare numerically and sort after
 * qualifiers and lists; qualifiers sort {@code alpha < beta < milestone < rc = cr < snapshot < "" =
 * final = ga = release < sp}, then unknown qualifiers alphabetically (case-insensitive); {@code
 * a1}, {@code b1}, {@code m1} mean {@code alpha-1}, {@code beta-1}, {@code milestone-1}.
 */
final class MavenVersionScheme implements VersionScheme {

  private static final List<String> QUALIFIERS =
      List.of("alpha", "beta", "milestone", "rc", "snapshot", "", "sp");
  private static final String RELEASE_INDEX = String.valueOf(QUALIFIERS.indexOf(""));

  @Override
  public int compare(String a, String b) {
    return compareItems(parse(a), parse(b));
  }

  private sealed interface Item permits Num, Qualifier, ItemList {}

  private record Num(String digits) implements Item {}

  /** {@code key} is the sortable form: the index of a known qualifier, or {@code 7-<name>}. */
  private record Qualifier(String key) implements Item {}

  private record ItemList(List<Item> items) implements Item {}

  private static ItemList parse(String version) {
    String v = version.strip().toLowerCase(Locale.ROOT);
    ItemList root = new ItemList(new ArrayList<>());
    ItemList list = root;
    Deque<ItemList> stack = new ArrayDeque<>();
    stack.push(root);
    boolean digit = false;
    int start = 0;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '.' || c == '-') {
        list.items().add(i == start ? new Num("0") : token(v.substring(start, i), digit, false));
        start = i + 1;
        if (c == '-') {
          list = nested(list, stack);
        }
      } else if (Character.isDigit(c)) {
        if (!digit && i > start) {
          list.items().add(token(v.substring(start, i), false, true));
          start = i;
          list = nested(list, stack);
        }
        digit = true;
      } else {
        if (digit && i > start) {
          list.items().add(token(v.substring(start, i), true, false));
          start = i;
          list = nested(list, stack);
        }
        digit = false;
      }
    }
    if (v.length() > start) {
      list.items().add(token(v.substring(start), digit, false));
    }
    while (!stack.isEmpty()) {
      normalise(stack.pop());
    }
    return root;
  }

  private static ItemList nested(ItemList parent, Deque<ItemList> stack) {
    ItemList child = new ItemList(new ArrayList<>());
    parent.items().add(child);
    stack.push(child);
    return child;
  }

  private static Item token(String text, boolean digits, boolean followedByDigit) {
    if (digits) {
      return new Num(text);
    }
    String q = text;
    if (followedByDigit && q.length() == 1) {
      q =
          switch (q) {
            case "a" -> "alpha";
            case "b" -> "beta";
            case "m" -> "milestone";
            default -> q;
          };
    }
    q =
        switch (q) {
          case "ga", "final", "release" -> "";
          case "cr" -> "rc";
          default -> q;
        };
    int known = QUALIFIERS.indexOf(q);
    return new Qualifier(known >= 0 ? String.valueOf(known) : QUALIFIERS.size() + "-" + q);
  }

  /** Drops trailing nulls, looking past (not into) trailing lists, as ComparableVersion does. */
  private static void normalise(ItemList list) {
    List<Item> items = list.items();
    for (int i = items.size() - 1; i >= 0; i--) {
      Item last = items.get(i);
      if (isNull(last)) {
        items.remove(i);
      } else if (!(last instanceof ItemList)) {
        break;
      }
    }
  }

  private static boolean isNull(Item item) {
    return switch (item) {
      case Num n -> Numbers.compare(n.digits(), "0") == 0;
      case Qualifier q -> q.key().equals(RELEASE_INDEX);
      case ItemList l -> l.items().isEmpty();
    };
  }

  /** {@code b} may be null (padding). */
  private static int compareItem(Item a, Item b) {
    return switch (a) {
      case Num n ->
          switch (b) {
            case null -> isNull(n) ? 0 : 1;
            case Num m -> Numbers.compare(n.digits(), m.digits());
            case Qualifier q -> 1;
            case ItemList l -> 1;
          };
      case Qualifier q ->
          switch (b) {
            case null -> Integer.signum(q.key().compareTo(RELEASE_INDEX));
            case Num m -> -1;
            case Qualifier r -> Integer.signum(q.key().compareTo(r.key()));
            case ItemList l -> -1;
          };
      case ItemList l ->
          switch (b) {
            case null -> l.items().isEmpty() ? 0 : compareItem(l.items().get(0), null);
            case Num m -> -1;
            case Qualifier r -> 1;
            case ItemList m -> compareItems(l, m);
          };
    };
  }

  private static int compareItems(ItemList a, ItemList b) {
    int n = Math.max(a.items().size(), b.items().size());
    for (int i = 0; i < n; i++) {
      Item x = i < a.items().size() ? a.items().get(i) : null;
      Item y = i < b.items().size() ? b.items().get(i) : null;
      int c = x == null ? (y == null ? 0 : -compareItem(y, null)) : compareItem(x, y);
      if (c != 0) {
        return c;
      }
    }
    return 0;
  }
}
