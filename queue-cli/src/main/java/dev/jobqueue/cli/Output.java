package dev.jobqueue.cli;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * What a command prints on standard output: an aligned table with a dashed rule under its header, or
 * with {@code --json} one JSON document, for scripts. Messages and errors go to standard error.
 */
final class Output {

	static final JsonMapper JSON = JsonMapper.builder().build();

	private final PrintWriter out;

	private final boolean json;

	Output(PrintWriter out, boolean json) {
		this.out = out;
		this.json = json;
	}

	boolean isJson() {
		return this.json;
	}

	static ObjectNode object() {
		return JSON.createObjectNode();
	}

	static ArrayNode array() {
		return JSON.createArrayNode();
	}

	void json(JsonNode node) {
		this.out.println(node.toPrettyString());
		this.out.flush();
	}

	void line(String text) {
		this.out.println(text);
		this.out.flush();
	}

	/** Prints rows under a header, each column as wide as its widest cell; numbers right-aligned. */
	void table(List<String> header, List<List<String>> rows) {
		int columns = header.size();
		int[] widths = new int[columns];
		boolean[] numeric = new boolean[columns];
		for (int c = 0; c < columns; c++) {
			widths[c] = header.get(c).length();
			numeric[c] = !rows.isEmpty();
		}
		for (List<String> row : rows) {
			for (int c = 0; c < columns; c++) {
				String cell = cell(row, c);
				widths[c] = Math.max(widths[c], cell.length());
				numeric[c] &= cell.matches("-?\\d+");
			}
		}
		List<String> rule = new ArrayList<>();
		for (int width : widths) {
			rule.add("-".repeat(width));
		}
		print(header, widths, new boolean[columns]);
		print(rule, widths, new boolean[columns]);
		for (List<String> row : rows) {
			print(row, widths, numeric);
		}
		this.out.flush();
	}

	private void print(List<String> row, int[] widths, boolean[] right) {
		StringBuilder line = new StringBuilder();
		for (int c = 0; c < widths.length; c++) {
			String cell = cell(row, c);
			String pad = " ".repeat(widths[c] - cell.length());
			line.append(right[c] ? pad + cell : cell + ((c < widths.length - 1) ? pad : "")).append((c < widths.length - 1) ? "  " : "");
		}
		this.out.println(line.toString().stripTrailing());
	}

	private static String cell(List<String> row, int column) {
		String value = (column < row.size()) ? row.get(column) : null;
		return (value != null) ? value.replace('\n', ' ') : "";
	}

}
