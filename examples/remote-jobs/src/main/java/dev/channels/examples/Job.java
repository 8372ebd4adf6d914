package dev.channels.examples;

/** A unit of work: travels over the event bus as a JSON object, mapped with Jackson. */
public record Job(int id, String file) {
}
