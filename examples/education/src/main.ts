// The education API lands with issue 7.
export {};
