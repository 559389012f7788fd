// ESLint flat config: typescript-eslint's recommended rules, with formatting left to Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import prettier from "eslint-config-prettier";

export default tseslint.config(
    {
        ignores: [
            "node_modules/",
            "bin/",
            "dist/",
            "out/",
            ".node22/",
            "**/node_modules/",
            "bench/tmp/",
            "test/fixtures/",
        ],
    },
    js.configs.recommended,
    ...tseslint.configs.recommended,
    prettier,
    {
        rules: {
            "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_" }],
            "@typescript-eslint/no-require-imports": "off",
        },
    },
);
