package dev.jobqueue.spring.coordination;

import java.util.Map;

/** Primitives declared in properties, looked up by name; an unknown name is a clear error. */
abstract class Named<T> {

	private final String what;

	private final String property;

	private final Map<String, T> byName;

	Named(String what, String property, Map<String, T> byName) {
		this.what = what;
		this.property = property;
		this.byName = Map.copyOf(byName);
	}

	/** The one named {@code name}. */
	public T get(String name) {
		T found = this.byName.get(name);
		if (found == null) {
			throw new IllegalArgumentException("No " + this.what + " named '" + name + "'; declare it under "
					+ this.property + "." + name + " (known: " + this.byName.keySet() + ")");
		}
		return found;
	}

	/** All of them by name. */
	public Map<String, T> all() {
		return this.byName;
	}

}
