# The rows of the weekly sources issue, from `cargo xtask sources --format json`.
# Every text here may come from a fetched page, so each is neutralised before it is written
# into the issue's markdown: control and bidirectional characters become spaces, `@` cannot
# mention anybody, and every markdown punctuation character is escaped (no link, image, table
# break or HTML). Texts are cut at 200 characters.
def safe:
  tostring
  | gsub("[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"; " ")
  | .[0:200]
  | gsub("(?<c>[\\\\`*_\\[\\]()#!|<>~{}&:])"; "\\\(.c)")
  | gsub("@"; "@\u200b");
.quotes[]
| select(.outcome != "found" and .outcome != "unchecked" and .outcome != "excluded")
| "| \(.key | safe) | \(.url | safe) | \(.outcome | safe) | \((.closest // .detail // "") | safe) |"
