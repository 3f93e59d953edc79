// Nothing is public yet: exports land with the issues that build them.
export {};
