#!/usr/bin/env python3
"""Parley's own deterministic generator of realistic marketplace messaging activity, one JSON
action per line (the same seed and options always write the same bytes).

The project's tests (Tests/ProjectorTests), benchmarks (scripts/bench) and README examples use it;
nothing outside the repository is needed. Run it from the checkout:

    python3 scripts/corpus.py --conversations 2000 --seed 7 > actions.jsonl

Every line is one action a marketplace would send to Parley, in time order:
  conversation_started  {conversation, buyer, vendor, subject: {kind: listing|order|general, ...}}
  message_sent          {conversation, sender, client_id, text, [attachment]}
  message_delivered     {conversation, recipient, up_to}   (up_to = client_id of the newest message seen)
  message_read          {conversation, reader, up_to}
  message_flagged       {conversation, by, client_id, reason}
  order_state_changed   {order, buyer, vendor, state}
  preference_changed    {user, channel, category, enabled}
  template_saved        {vendor, name, text}
Common fields: seq (1..n), at (ISO-8601 UTC, milliseconds). Ids are stable strings.
A small share of messages try to take the deal off the platform (phone numbers, emails, handles,
often obfuscated) and a few vendors spam the same text to many buyers, so moderation has work.
Only the standard library is used.
"""
import argparse
import datetime as dt
import json
import random
import sys

FIRST = ["Sarah", "John", "Aiko", "Mateo", "Priya", "Liam", "Fatima", "Noah", "Chloé", "Lukas", "Olivia",
         "Diego", "Mei", "Kwame", "Sofia", "Jonas", "Amara", "Ethan", "Yuki", "Isabella", "Omar", "Hannah"]
ITEMS = [("pottery bowl", 34), ("camera lens", 420), ("oak dining table", 890), ("wool scarf", 45),
         ("leather wallet", 60), ("vintage record player", 210), ("handmade candle set", 28),
         ("mountain bike", 650), ("wedding photography package", 1800), ("linen dress", 95),
         ("ceramic mug", 22), ("sofa cover", 75), ("gaming monitor", 330), ("silver ring", 140),
         ("house cleaning (3h)", 120), ("dog walking (weekly)", 80), ("logo design", 250),
         ("guitar lessons (4x)", 160), ("baby stroller", 180), ("espresso machine", 540)]
COLORS = ["blue", "black", "white", "sage green", "terracotta", "navy", "mustard", "grey", "red"]
SIZES = ["small", "medium", "large", "XL", "king size", "queen size", "9 inch", "12 inch"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CITIES = ["Lyon", "Austin", "Leeds", "Osaka", "Porto", "Denver", "Utrecht", "Melbourne", "Toronto"]
EMOJI = ["🙂", "👍", "🙏", "😊", "🎁", "📦", "✨", ""]

BUYER_OPENERS = [
    "Hi! Is the {item} still available?",
    "Hello, does this {item} come in {color}?",
    "What are the dimensions of the {item}?",
    "Is the {item} microwave and dishwasher safe?",
    "Can you make this {item} in a {size} size?",
    "I'd like to order {qty} units of the {item}, is there a discount?",
    "Are you available next {day} for the {item}?",
    "Do you ship to {city}? How long does it usually take?",
    "Hi {vname}, I'm interested in the {item}. Would you take ${offer}?",
    "Is this compatible with the older model? I have the 2019 version.",
    "Could you add gift wrapping? It's a birthday present {emoji}",
    "Can I pick it up in person instead of shipping?",
]
BUYER_FOLLOWUPS = [
    "Great, thanks! One more question: what's your return policy?",
    "Perfect. When would it ship if I order today?",
    "Thanks for the quick answer {emoji}",
    "Hmm, that's a bit over my budget. Could you do ${offer}?",
    "Ok, I just placed the order. Order number {order_no}.",
    "When will my order ship? It's been {n} days.",
    "I received the wrong item, it's {color} instead of {color2}.",
    "Can I change my shipping address to {street}, {city}?",
    "The package arrived damaged, I've attached a photo.",
    "Everything arrived, it's beautiful! Thank you so much {emoji}",
    "Could you send me the tracking number please?",
    "Is it possible to get an invoice with my company name on it?",
]
VENDOR_REPLIES = [
    "Hi {bname}! Yes, it's still available {emoji}",
    "Yes, completely microwave and dishwasher safe!",
    "It's {dims} cm. Happy to send more photos if that helps.",
    "I can make it in {color}, it would take about {n} days extra.",
    "For {qty} units I can offer {pct}% off. Shall I set up a custom listing?",
    "I'm free on {day} from 9 to 5, does 10am work for you?",
    "We ship to {city} with tracked delivery, usually {n}-{n2} business days.",
    "I can do ${offer2}, that's my best price.",
    "Thanks for your order! It ships tomorrow morning.",
    "Here's the tracking number: {tracking}",
    "So sorry about that! I'll send the right one today, no need to return the other.",
    "Address updated. Thanks for letting me know!",
    "Returns are accepted within 30 days, unused and in the original packaging.",
    "Of course, gift wrapping is free {emoji}",
]
# Attempts to move the deal off the platform, several obfuscated.
OFF_PLATFORM = [
    "Text me at {phone} and we can sort it out directly",
    "email me: {user}@gmail.com, cheaper if you pay outside the app",
    "my number is {spelled}",
    "reach me on whatsapp {phone_dots}",
    "{user} at gmail dot com",
    "add me on ig @{user}_{n}",
    "pay me via paypal.me/{user} and I'll give you 10% off",
    "call {phone_spaced} after 6pm",
    "find me on telegram: {user}{n}",
    "my email is {user} [at] outlook [dot] com",
]
SPAM = [
    "🔥 MEGA SALE 🔥 everything 70% off in my shop this weekend only!!! visit my store now",
    "Earn $500/day from home, message me for details",
]
WORDS = ["zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"]


class Gen:
    def __init__(self, seed, conversations, start):
        self.r = random.Random(seed)
        self.conversations = conversations
        self.start = start
        self.t = start
        self.out = []

    def pick(self, xs):
        return self.r.choice(xs)

    def phone(self):
        return "".join(str(self.r.randint(0, 9)) for _ in range(10))

    def fill(self, template, ctx):
        p = self.phone()
        user = self.pick(FIRST).lower().replace("é", "e") + str(self.r.randint(1, 99))
        values = dict(ctx)
        values.update(
            color=self.pick(COLORS), color2=self.pick(COLORS), size=self.pick(SIZES), day=self.pick(DAYS),
            city=self.pick(CITIES), qty=self.r.choice([5, 10, 20, 50, 100]), n=self.r.randint(2, 6),
            n2=self.r.randint(7, 10), pct=self.r.choice([5, 10, 15, 20]), emoji=self.pick(EMOJI),
            dims=f"{self.r.randint(10, 200)} x {self.r.randint(10, 120)} x {self.r.randint(5, 90)}",
            offer=int(ctx["price"] * self.r.uniform(0.7, 0.95)), offer2=int(ctx["price"] * self.r.uniform(0.85, 0.98)),
            order_no=f"#{self.r.randint(100000, 999999)}", tracking=f"1Z{self.r.randint(10**9, 10**10 - 1)}GB",
            street=f"{self.r.randint(1, 240)} {self.pick(['Elm', 'Station', 'Mill', 'Church', 'Park'])} Street",
            phone=f"({p[:3]}) {p[3:6]}-{p[6:]}", phone_dots=f"{p[:3]}.{p[3:6]}.{p[6:]}",
            phone_spaced=" ".join(p), spelled=" ".join(WORDS[int(c)] for c in p), user=user,
        )
        return template.format(**values)

    def emit(self, kind, **fields):
        # Replies come seconds to hours apart; receipts follow within seconds to minutes.
        quick = kind in ("message_delivered", "message_read", "order_state_changed")
        gap = self.r.randint(200, 90_000) if quick else int(self.r.expovariate(1 / 600_000)) + 1_000
        self.t += dt.timedelta(milliseconds=gap)
        self.out.append((self.t, len(self.out), kind, fields))

    def run(self):
        users = [f"u-{i:06d}" for i in range(max(20, self.conversations // 2))]
        vendors = users[: max(5, len(users) // 10)]
        buyers = users[len(vendors):]
        names = {u: self.pick(FIRST) for u in users}
        spammers = set(self.r.sample(vendors, max(1, len(vendors) // 50)))
        for v in vendors:
            if self.r.random() < 0.3:
                self.emit("template_saved", vendor=v, name="shipping",
                          text="We ship within 2 business days with tracked delivery.")
        for c in range(self.conversations):
            buyer, vendor = self.pick(buyers), self.pick(vendors)
            item, price = self.pick(ITEMS)
            cid = f"c-{c:07d}"
            # Conversations overlap: each starts at a random moment of a window that grows with the count.
            self.t = self.start + dt.timedelta(seconds=self.r.uniform(0, 36 * self.conversations))
            ctx = {"item": item, "price": price, "bname": names[buyer], "vname": names[vendor]}
            kind = self.r.choices(["listing", "order", "general"], [70, 20, 10])[0]
            subject = {"kind": kind}
            order = None
            if kind == "listing":
                subject.update(listing=f"l-{self.r.randint(1, 10**6):07d}", title=item.capitalize(), price_cents=price * 100)
            elif kind == "order":
                order = f"o-{c:07d}"
                subject.update(order=order, title=item.capitalize())
            self.emit("conversation_started", conversation=cid, buyer=buyer, vendor=vendor, subject=subject, by=buyer)
            turns = self.r.choices([1, 2, 3, 4, 6, 10, 20], [15, 25, 20, 15, 12, 9, 4])[0]
            msg_no = 0
            for turn in range(turns):
                buyer_turn = turn % 2 == 0
                sender = buyer if buyer_turn else vendor
                other = vendor if buyer_turn else buyer
                if vendor in spammers and not buyer_turn and self.r.random() < 0.5:
                    text = self.pick(SPAM)
                elif self.r.random() < 0.03:
                    text = self.fill(self.pick(OFF_PLATFORM), ctx)
                elif buyer_turn:
                    text = self.fill(self.pick(BUYER_OPENERS if turn == 0 else BUYER_FOLLOWUPS), ctx)
                else:
                    text = self.fill(self.pick(VENDOR_REPLIES), ctx)
                if self.r.random() < 0.08:
                    text = text + " " + self.fill(self.pick(BUYER_FOLLOWUPS if buyer_turn else VENDOR_REPLIES), ctx)
                msg_no += 1
                client_id = f"{cid}-m{msg_no:03d}"
                fields = dict(conversation=cid, sender=sender, client_id=client_id, text=text)
                if self.r.random() < 0.05:
                    fields["attachment"] = {"name": self.pick(["photo.jpg", "damage.png", "invoice.pdf", "sketch.png"]),
                                            "bytes": self.r.randint(20_000, 4_000_000)}
                self.emit("message_sent", **fields)
                if self.r.random() < 0.9:
                    self.emit("message_delivered", conversation=cid, recipient=other, up_to=client_id)
                    if self.r.random() < 0.8:
                        self.emit("message_read", conversation=cid, reader=other, up_to=client_id)
                if self.r.random() < 0.01:
                    self.emit("message_flagged", conversation=cid, by=other, client_id=client_id,
                              reason=self.pick(["spam", "harassment", "off_platform", "other"]))
            if order or self.r.random() < 0.25:
                order = order or f"o-{c:07d}"
                for state in ["placed", "confirmed", "in_progress", "delivered", "completed"][: self.r.randint(1, 5)]:
                    self.emit("order_state_changed", order=order, buyer=buyer, vendor=vendor, state=state)
                if self.r.random() < 0.05:
                    self.emit("order_state_changed", order=order, buyer=buyer, vendor=vendor, state="disputed")
            if self.r.random() < 0.05:
                self.emit("preference_changed", user=self.pick([buyer, vendor]),
                          channel=self.pick(["email", "push", "sms", "in_app"]),
                          category=self.pick(["new_message", "unread_reminder", "order_update", "marketing"]),
                          enabled=self.r.random() < 0.4)
        self.out.sort(key=lambda e: (e[0], e[1]))
        lines = []
        for seq, (t, _, kind, fields) in enumerate(self.out, 1):
            line = {"seq": seq, "at": t.isoformat(timespec="milliseconds").replace("+00:00", "Z"), "kind": kind}
            line.update(fields)
            lines.append(line)
        return lines


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--conversations", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--start", default="2026-03-01T00:00:00Z")
    a = ap.parse_args()
    start = dt.datetime.fromisoformat(a.start.replace("Z", "+00:00"))
    w = sys.stdout.write
    for line in Gen(a.seed, a.conversations, start).run():
        w(json.dumps(line, ensure_ascii=False, separators=(",", ":")) + "\n")


if __name__ == "__main__":
    main()
