package dev.channels.app;

/**
 * A demo work item; it travels as a {@code JsonObject} mapped by Jackson ({@code
 * JsonObject.mapFrom(job)}, {@code json.mapTo(Job.class)}).
 */
record Job(int id, int producer, String payload) {
}
