// Request validation: malformed requests get 400 invalid_request_error through the real SDK and a
// recorded violation; well-formed ones pass. The pure validator is checked case by case too.
import { describe, expect, it } from "vitest";
import { validateRequest } from "../src/index.ts";
import {
  useSetup,
  MODEL,
  finish,
  editor,
  bash,
  user,
  assistant,
  callFinish,
  resultFor,
  base,
} from "./anthropic-validation-setup.ts";

useSetup();

describe("validateRequest", () => {
  it("accepts a full tool-use conversation with defined tools and a zod-style 2020-12 schema", () => {
    const planSchema = {
      $schema: "https://json-schema.org/draft/2020-12/schema",
      type: "object",
      properties: { tasks: { type: "array", items: { type: "string" } } },
      required: ["tasks"],
      additionalProperties: false,
    };
    const ok = validateRequest({
      model: MODEL,
      max_tokens: 1000,
      system: [{ type: "text", text: "You plan.", cache_control: { type: "ephemeral" } }],
      tools: [editor, bash, { name: "submit_plan", description: "d", input_schema: planSchema }],
      messages: [
        user("plan it"),
        assistant([
          { type: "text", text: "Looking." },
          { type: "tool_use", id: "toolu_a", name: "bash", input: { command: "ls" } },
          {
            type: "tool_use",
            id: "toolu_b",
            name: "str_replace_based_edit_tool",
            input: { command: "view", path: "a" },
          },
        ]),
        user([
          { type: "tool_result", tool_use_id: "toolu_b", content: [{ type: "text", text: "file" }] },
          { type: "tool_result", tool_use_id: "toolu_a", content: "a\nb", is_error: false },
          { type: "text", text: "go on" },
        ]),
      ],
    });
    expect(ok).toEqual([]);
  });

  const cases: [string, unknown, RegExp][] = [
    ["a missing model", { max_tokens: 5, messages: [user("hi")] }, /model/],
    ["a non-integer max_tokens", { model: MODEL, max_tokens: 1.5, messages: [user("hi")] }, /max_tokens/],
    ["max_tokens 0", { model: MODEL, max_tokens: 0, messages: [user("hi")] }, /max_tokens/],
    ["no messages", { model: MODEL, max_tokens: 5, messages: [] }, /at least one message/],
    [
      "an assistant first message",
      { model: MODEL, max_tokens: 5, messages: [assistant("hi")] },
      /first message/,
    ],
    [
      "an unknown top-level key",
      { model: MODEL, max_tokens: 5, messages: [user("hi")], maxTokens: 5 },
      /maxTokens: Extra inputs/,
    ],
    [
      "a whitespace-only text block",
      { model: MODEL, max_tokens: 5, messages: [user([{ type: "text", text: " \n" }])] },
      /non-whitespace/,
    ],
    [
      "a prefill ending in whitespace",
      { model: MODEL, max_tokens: 5, messages: [user("hi"), assistant("Sure, ")] },
      /trailing whitespace/,
    ],
    [
      "an empty text block",
      { model: MODEL, max_tokens: 5, messages: [user([{ type: "text", text: "" }])] },
      /non-empty/,
    ],
    [
      "a tool_use left unanswered",
      { ...base, messages: [user("go"), assistant([callFinish()]), user("and?")] },
      /without tool_result/,
    ],
    [
      "a trailing unanswered tool_use",
      { ...base, messages: [user("go"), assistant([callFinish()])] },
      /without tool_result/,
    ],
    [
      "one of two tool_uses answered",
      {
        ...base,
        messages: [
          user("go"),
          assistant([callFinish("toolu_1"), callFinish("toolu_2")]),
          user([resultFor("toolu_1")]),
        ],
      },
      /toolu_2/,
    ],
    [
      "a tool_result answering an older turn",
      {
        ...base,
        messages: [
          user("go"),
          assistant([callFinish()]),
          user([resultFor()]),
          assistant("ok"),
          user([resultFor()]),
        ],
      },
      /unexpected tool_use_id/,
    ],
    [
      "text before tool_result",
      {
        ...base,
        messages: [
          user("go"),
          assistant([callFinish()]),
          user([{ type: "text", text: "here" }, resultFor()]),
        ],
      },
      /must come first/,
    ],
    ["a tool_use in a user turn", { ...base, messages: [user([callFinish()])] }, /only allowed in assistant/],
    [
      "tool_use without tools",
      { model: MODEL, max_tokens: 5, messages: [user("go"), assistant([callFinish()]), user([resultFor()])] },
      /must define tools/,
    ],
    [
      "a duplicate tool_use id",
      {
        ...base,
        messages: [
          user("go"),
          assistant([callFinish()]),
          user([resultFor()]),
          assistant([callFinish()]),
          user([resultFor()]),
        ],
      },
      /unique/,
    ],
    [
      "a bad tool name",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ name: "run tests!", input_schema: { type: "object" } }],
        messages: [user("hi")],
      },
      /pattern/,
    ],
    [
      "a 65-char tool name",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ name: "a".repeat(65), input_schema: { type: "object" } }],
        messages: [user("hi")],
      },
      /pattern/,
    ],
    [
      "a missing input_schema",
      { model: MODEL, max_tokens: 5, tools: [{ name: "t" }], messages: [user("hi")] },
      /input_schema: field required/,
    ],
    [
      "a non-object schema",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ name: "t", input_schema: { type: "string" } }],
        messages: [user("hi")],
      },
      /must be "object"/,
    ],
    [
      "an invalid JSON schema",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ name: "t", input_schema: { type: "object", properties: { a: { type: "strng" } } } }],
        messages: [user("hi")],
      },
      /JSON schema is invalid/,
    ],
    [
      "a misnamed text editor",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ type: "text_editor_20250728", name: "editor" }],
        messages: [user("hi")],
      },
      /str_replace_based_edit_tool/,
    ],
    [
      "a misnamed bash",
      {
        model: MODEL,
        max_tokens: 5,
        tools: [{ type: "bash_20250124", name: "shell" }],
        messages: [user("hi")],
      },
      /"bash"/,
    ],
    [
      "duplicate tool names",
      { model: MODEL, max_tokens: 5, tools: [finish, finish], messages: [user("hi")] },
      /unique/,
    ],
    [
      "tool_choice naming no tool",
      { ...base, tool_choice: { type: "tool", name: "nope" }, messages: [user("hi")] },
      /no tool named nope/,
    ],
    [
      "a system that is a number",
      { model: MODEL, max_tokens: 5, system: 3, messages: [user("hi")] },
      /system/,
    ],
    [
      "a system block that is not text",
      { model: MODEL, max_tokens: 5, system: [{ type: "image" }], messages: [user("hi")] },
      /text block/,
    ],
    [
      "five cache breakpoints",
      {
        model: MODEL,
        max_tokens: 5,
        cache_control: { type: "ephemeral" },
        system: [1, 2, 3].map((n) => ({ type: "text", text: `s${n}`, cache_control: { type: "ephemeral" } })),
        messages: [user([{ type: "text", text: "hi", cache_control: { type: "ephemeral" } }])],
      },
      /maximum of 4/,
    ],
    [
      "a bad cache ttl",
      {
        model: MODEL,
        max_tokens: 5,
        system: [{ type: "text", text: "s", cache_control: { type: "ephemeral", ttl: "2h" } }],
        messages: [user("hi")],
      },
      /ttl/,
    ],
  ];

  it.each(cases)("rejects %s", (_name, body, expected) => {
    const problems = validateRequest(body);
    expect(problems.join("\n")).toMatch(expected);
  });

  it("accepts older dated versions of the defined tools, with the names they use", () => {
    const tools = [
      { type: "text_editor_20250124", name: "str_replace_editor" },
      { type: "text_editor_20250429", name: "str_replace_based_edit_tool" },
      { type: "bash_20241022", name: "bash" },
    ];
    expect(validateRequest({ model: MODEL, max_tokens: 5, tools, messages: [user("hi")] })).toEqual([]);
  });

  it("checks count_tokens bodies without max_tokens", () => {
    expect(validateRequest({ model: MODEL, messages: [user("hi")] }, "count_tokens")).toEqual([]);
    expect(validateRequest({ model: MODEL, messages: [user("hi")], max_tokens: 5 }, "count_tokens")).toEqual([
      "max_tokens: Extra inputs are not permitted",
    ]);
  });
});
