# A Slipway function: the platform calls main once per request (or schedule) with the event, and
# answers with what it returns. See docs/functions.md.
import html


def main(event):
    name = (event.get("query") or {}).get("name") or "world"
    print(f"greeting {name}")
    if event.get("path") == "/page":
        # a dict with a statusCode is a web response of its own
        return {
            "statusCode": 200,
            "headers": {"content-type": "text/html; charset=utf-8"},
            "body": f"<h1>Hello, {html.escape(name)}</h1>\n",
        }
    return {"greeting": f"Hello, {name}, from function-python on Slipway"}
