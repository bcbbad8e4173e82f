package org.homecoming.roster;

import java.net.URI;

import org.homecoming.roster.lists.StaleUploadException;
import org.homecoming.roster.lists.UnknownListException;
import org.homecoming.roster.lists.UnknownPersonException;
import org.homecoming.roster.rounds.ExchangeRounds.UnknownRoundException;
import org.homecoming.roster.rounds.RoundConflictException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The roster's answers that are not bad input: an unknown round, list or person (404; a read that could not read the
 * topics to their end first was answered 503 before it got here), a state conflict (409), and an amendment made from a
 * version of the list that is no longer current (412).
 */
@RestControllerAdvice
class RosterProblems {

    @ExceptionHandler(RoundConflictException.class)
    ResponseEntity<ProblemDetail> onConflict(RoundConflictException conflict) {
        return problem(HttpStatus.CONFLICT, "round-conflict", "The round's state forbids this", conflict.getMessage());
    }

    @ExceptionHandler(StaleUploadException.class)
    ResponseEntity<ProblemDetail> onStaleUpload(StaleUploadException stale) {
        return problem(HttpStatus.PRECONDITION_FAILED, "list-version-changed", "The list changed since this upload was made",
                stale.getMessage());
    }

    /** Only from a view read to the topics' end as of the request: a read that could not get there was answered 503. */
    @ExceptionHandler({UnknownRoundException.class, UnknownListException.class, UnknownPersonException.class})
    ResponseEntity<ProblemDetail> onUnknown(RuntimeException unknown) {
        return problem(HttpStatus.NOT_FOUND, "not-found", "Not found", unknown.getMessage());
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String type, String title, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setType(URI.create("https://homecoming.example/problems/" + type));
        problem.setTitle(title);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
