// The catalog a first start shows: small, real and readable, so the routes return something
// worth looking at. Slugs are the stable keys (URLs, and how seeding knows what exists).

type Difficulty = "beginner" | "intermediate" | "advanced";

export interface DemoModule {
  slug: string;
  title: string;
  description: string;
  category: string;
  difficulty: Difficulty;
  content: { type: "text" | "video" | "code"; title: string; body: string }[];
  quiz: { title: string; questions: { prompt: string; options: string[]; answer: number }[] };
}

export interface DemoTutorial {
  slug: string;
  module: string;
  title: string;
  description: string;
  category: string;
  difficulty: Difficulty;
  steps: { title: string; body: string; starterCode?: string }[];
}

export interface DemoChallenge {
  slug: string;
  title: string;
  description: string;
  difficulty: Difficulty;
  language: string;
  starterCode: string;
  solution: string;
  hiddenTests: { input: string; expected: string }[];
}

export const DEMO_MODULES: DemoModule[] = [
  {
    slug: "javascript-fundamentals",
    title: "JavaScript Fundamentals",
    description: "Values, functions, objects and the event loop: the language every web stack shares.",
    category: "programming",
    difficulty: "beginner",
    content: [
      { type: "text", title: "Values and types", body: "JavaScript has seven primitive types and objects." },
      { type: "code", title: "Functions are values", body: "const twice = (f) => (x) => f(f(x));" },
      { type: "text", title: "The event loop", body: "One thread runs your code; I/O completes later." },
    ],
    quiz: {
      title: "JavaScript basics",
      questions: [
        {
          prompt: "What does typeof null return?",
          options: ["'null'", "'object'", "'undefined'"],
          answer: 1,
        },
        {
          prompt: "Which keyword declares a block-scoped constant?",
          options: ["var", "let", "const"],
          answer: 2,
        },
        { prompt: "Does await block the thread?", options: ["Yes", "No"], answer: 1 },
      ],
    },
  },
  {
    slug: "sql-for-developers",
    title: "SQL for Developers",
    description: "Queries, joins, indexes and transactions, with PostgreSQL.",
    category: "data",
    difficulty: "beginner",
    content: [
      { type: "text", title: "Selecting rows", body: "SELECT picks columns; WHERE picks rows." },
      {
        type: "code",
        title: "Joins",
        body: "SELECT m.title, p.status FROM modules m JOIN progress p USING (id);",
      },
      { type: "text", title: "Indexes", body: "An index trades write time and space for fast lookups." },
    ],
    quiz: {
      title: "SQL basics",
      questions: [
        { prompt: "Which clause filters groups?", options: ["WHERE", "HAVING", "ORDER BY"], answer: 1 },
        { prompt: "Does a UNIQUE constraint create an index?", options: ["Yes", "No"], answer: 0 },
      ],
    },
  },
  {
    slug: "smart-contract-basics",
    title: "Smart Contract Basics",
    description: "Accounts, transactions, gas and your first Solidity contract.",
    category: "blockchain",
    difficulty: "intermediate",
    content: [
      { type: "text", title: "Accounts and wallets", body: "An address is derived from a public key." },
      { type: "video", title: "Gas, explained", body: "https://example.com/videos/gas" },
      {
        type: "code",
        title: "A counter",
        body: "contract Counter { uint public n; function inc() public { n++; } }",
      },
    ],
    quiz: {
      title: "Contracts",
      questions: [
        { prompt: "Who pays for gas?", options: ["The sender", "The contract", "The miner"], answer: 0 },
        { prompt: "Can deployed code change?", options: ["Yes, always", "Not without a proxy"], answer: 1 },
      ],
    },
  },
  {
    slug: "web-security-essentials",
    title: "Web Security Essentials",
    description: "Injection, authentication, tokens and rate limits.",
    category: "security",
    difficulty: "intermediate",
    content: [
      { type: "text", title: "SQL injection", body: "Never build SQL from input: bind parameters." },
      { type: "text", title: "Storing passwords", body: "Hash with a slow, salted function such as scrypt." },
      { type: "text", title: "Tokens", body: "Short-lived access tokens, refresh tokens stored hashed." },
    ],
    quiz: {
      title: "Security",
      questions: [
        { prompt: "How do you store refresh tokens?", options: ["Plain", "Hashed", "Encrypted"], answer: 1 },
        { prompt: "What stops SQL injection?", options: ["Escaping", "Bound parameters"], answer: 1 },
      ],
    },
  },
];

export const DEMO_TUTORIALS: DemoTutorial[] = [
  {
    slug: "build-a-rest-api",
    module: "javascript-fundamentals",
    title: "Build a REST API",
    description: "An Express API with validation, errors and tests, step by step.",
    category: "programming",
    difficulty: "beginner",
    steps: [
      {
        title: "Create the app",
        body: "Install express and answer GET /health.",
        starterCode: "import express from 'express';",
      },
      { title: "Add a route", body: "Return a list of modules as JSON." },
      { title: "Validate input", body: "Answer 400 naming the field that is wrong." },
      { title: "Test it", body: "Use supertest to call the app in-process." },
    ],
  },
  {
    slug: "indexing-postgres",
    module: "sql-for-developers",
    title: "Indexing PostgreSQL",
    description: "Read EXPLAIN, add the right index, measure the difference.",
    category: "data",
    difficulty: "intermediate",
    steps: [
      { title: "Read a plan", body: "Run EXPLAIN (ANALYZE, BUFFERS) on a slow query." },
      { title: "Add an index", body: "Index the columns in the WHERE clause, equality first." },
      { title: "Measure", body: "Compare buffers and time before and after." },
    ],
  },
  {
    slug: "write-your-first-contract",
    module: "smart-contract-basics",
    title: "Write Your First Contract",
    description: "Write, test and deploy a token contract on a local chain.",
    category: "blockchain",
    difficulty: "intermediate",
    steps: [
      { title: "Set up", body: "Start a local chain and fund an account." },
      { title: "Write the contract", body: "Balances in a mapping, transfer checks the sender." },
      { title: "Deploy", body: "Deploy and call transfer from a script." },
    ],
  },
];

export const DEMO_CHALLENGES: DemoChallenge[] = [
  {
    slug: "fizzbuzz",
    title: "FizzBuzz",
    description: "Return 'Fizz' for multiples of 3, 'Buzz' for 5, 'FizzBuzz' for both, else the number.",
    difficulty: "beginner",
    language: "javascript",
    starterCode: "export function fizzbuzz(n) {\n  // your code\n}",
    solution:
      "export const fizzbuzz = (n) => (n % 15 ? (n % 5 ? (n % 3 ? String(n) : 'Fizz') : 'Buzz') : 'FizzBuzz');",
    hiddenTests: [
      { input: "15", expected: "FizzBuzz" },
      { input: "7", expected: "7" },
    ],
  },
  {
    slug: "top-n-per-group",
    title: "Top N per group",
    description: "For every category, the three modules with the most completions.",
    difficulty: "intermediate",
    language: "sql",
    starterCode: "SELECT ...",
    solution:
      "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY category ORDER BY n DESC) r FROM t) x WHERE r <= 3",
    hiddenTests: [{ input: "fixture:categories", expected: "fixture:top3" }],
  },
  {
    slug: "reentrancy-guard",
    title: "Reentrancy guard",
    description: "Make withdraw safe against a contract that calls back into it.",
    difficulty: "advanced",
    language: "solidity",
    starterCode: "function withdraw() external { ... }",
    solution: "Checks-effects-interactions: zero the balance before the external call, plus a mutex.",
    hiddenTests: [{ input: "attacker", expected: "reverted" }],
  },
];

export const DEMO_CERTIFICATIONS = [
  {
    slug: "full-stack-foundations",
    title: "Full-Stack Foundations",
    description: "JavaScript, SQL and web security: the basics of a production backend.",
    skillLevel: "beginner",
    modules: ["javascript-fundamentals", "sql-for-developers", "web-security-essentials"],
  },
  {
    slug: "web3-developer",
    title: "Web3 Developer",
    description: "JavaScript and smart contracts.",
    skillLevel: "intermediate",
    modules: ["javascript-fundamentals", "smart-contract-basics"],
  },
] as const;

export const DEMO_LEARNING_PATHS = [
  {
    slug: "backend-developer",
    title: "Backend Developer",
    description: "From your first API to a secure, indexed database.",
    skillLevel: "beginner",
    modules: ["javascript-fundamentals", "sql-for-developers", "web-security-essentials"],
  },
  {
    slug: "blockchain-developer",
    title: "Blockchain Developer",
    description: "JavaScript first, then contracts.",
    skillLevel: "intermediate",
    modules: ["javascript-fundamentals", "smart-contract-basics"],
  },
] as const;
