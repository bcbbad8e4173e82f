package org.homecoming.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A row of the scenario's release lists, as the scenario player needs it to write inquiries and manifests. */
record ListedPerson(String personId, String surname, String givenName, String patronymic, String surnameLatin,
                    String givenNameLatin, String birthDate, String category) {

    static List<ListedPerson> read(Path csv) throws IOException {
        List<String> lines = Files.readAllLines(csv, StandardCharsets.UTF_8);
        List<String> header = split(lines.get(0).replace("\uFEFF", ""));
        List<ListedPerson> people = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            List<String> cells = split(line);
            Map<String, String> row = new java.util.HashMap<>();
            for (int i = 0; i < header.size() && i < cells.size(); i++) {
                row.put(header.get(i), cells.get(i).isBlank() ? null : cells.get(i));
            }
            people.add(new ListedPerson(row.get("personId"), row.get("surname"), row.get("givenName"), row.get("patronymic"),
                    row.get("surnameLatin"), row.get("givenNameLatin"), row.get("birthDate"), row.get("category")));
        }
        return people;
    }

    /** One CSV line into cells; quoted cells may hold commas and doubled quotes. */
    static List<String> split(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    cell.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    cell.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                cells.add(cell.toString());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString());
        return cells;
    }
}
