package p;

/** A top-level record whose name has a dollar: its simple name is the whole name. */
record Top$Level(int a, String b) {}
