-- A corpus store as release 8c137a2 wrote it (before this session's schema versions and event
-- resolution): one seed article (shared/seeds/monitor-1999-v5-i160.txt) ingested by that commit's
-- core.store/core.ingest, dumped with sqlite3's iterdump. tests/test_store_schema.py opens it with today's code.
BEGIN TRANSACTION;
CREATE TABLE amounts ("amount_id", "article_id", "value_usd", "category", "status", "as_of_date", "evidence", "as_of_end", "date_precision", "raw_text", "from_actor", "to_actor", "topics", "rule", "sentence_id", "start_char", "end_char", "origin", "source_url", "note");
INSERT INTO "amounts" VALUES('2f4df66f69cb-a001','2f4df66f69cb',1800000000.0,'debt','occurred','1999-08-31','At least equally important, Russian officials are hoping to promote a series of possible arms deals which would see South Korea purchase Russian military hardware in partial repayment for Moscow’s US$1.8 billion debt to Seoul.','','day','US$1.8 billion','RUS','KOR','arms trade;debt','head:debt; default: asserted',3,678,692,'article','','');
INSERT INTO "amounts" VALUES('2f4df66f69cb-a002','2f4df66f69cb',1000000000.0,'arms_deal','reported','1999-08-31','According to some, Moscow and Seoul have all but inked a deal under which South Korea will purchase three Russian diesel-powered submarines at a price of US$1billion.','','day','US$1billion','RUS','','arms trade','cue:price; cue:according to → reported',12,2002,2013,'article','','');
CREATE TABLE articles ("article_id", "source_file", "publication", "volume", "issue", "published_date", "title", "date_method", "date_precision", "date_note", "encoding", "format", "n_chars", "n_words", "content_hash", "warnings", "origin");
INSERT INTO "articles" VALUES('2f4df66f69cb','monitor-1999-v5-i160.txt','Monitor',5,160,'1999-08-31','Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea…','calendar+notes','day','volume 5 = 1999; first publishing day after the latest cited date 1999-08-30','utf-8','txt',2735,429,'2f4df66f69cbe41ec13ecaf227943ddc783235a6ce783b7799e2431e75389e6e','','article');
CREATE TABLE citations ("article_id", "agency", "cited_date", "cited_end", "raw", "start_char", "end_char", "sentence_id");
INSERT INTO "citations" VALUES('2f4df66f69cb','ITAR-TASS','1999-08-29','','(Itar-Tass, August 29; AP, AFP, August 30)',1141,1183,7);
INSERT INTO "citations" VALUES('2f4df66f69cb','AP','1999-08-30','','(Itar-Tass, August 29; AP, AFP, August 30)',1141,1183,7);
INSERT INTO "citations" VALUES('2f4df66f69cb','AFP','1999-08-30','','(Itar-Tass, August 29; AP, AFP, August 30)',1141,1183,7);
INSERT INTO "citations" VALUES('2f4df66f69cb','International agencies','1999-05-28','1999-05-30','(International agencies, May 28-30)',1396,1431,8);
INSERT INTO "citations" VALUES('2f4df66f69cb','AFP','1999-08-30','','(AFP, August 30)',2718,2734,17);
CREATE TABLE events ("event_id", "article_id", "start_date", "end_date", "date_precision", "event_type", "cameo_root", "quad_class", "goldstein", "status", "actors", "location", "evidence", "sources", "cameo_code", "source_actor", "target_actor", "topics", "date_text", "date_rule", "type_rule", "status_rule", "confidence", "sentence_id", "evidence_start", "evidence_end", "also_sentences", "origin", "source_url");
INSERT INTO "events" VALUES('2f4df66f69cb-e001','2f4df66f69cb','1999-09-01','1999-09-05','day','visit','04',1,1.9,'planned','igor-sergeev;KOR;RUS','South Korea','Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea later this week, where he will hold talks from September 2-4 with President Kim Dae-jung and other top South Korean officials.','','042','igor-sergeev','KOR','military cooperation;diplomacy','later this week','date:clause ''later this week'' (time:this_part)','verb:@travel to → 042; source:nearest subject','cue:is scheduled to → planned',0.85,0,43,245,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e002','2f4df66f69cb','1999-09-02','1999-09-04','day','talks','04',1,1.0,'planned','igor-sergeev;kim-dae-jung;KOR','','Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea later this week, where he will hold talks from September 2-4 with President Kim Dae-jung and other top South Korean officials.','','040','igor-sergeev','kim-dae-jung','military cooperation;diplomacy','September 2-4','date:clause ''September 2-4'' (time:md_range)','verb:@hold talks → 040; source:sentence subject','cue:will → planned',0.85,0,43,245,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e003','2f4df66f69cb','1999-08-31','1999-08-31','day','arms deal','06',2,7.4,'planned','KOR;RUS','Seoul','At least equally important, Russian officials are hoping to promote a series of possible arms deals which would see South Korea purchase Russian military hardware in partial repayment for Moscow’s US$1.8 billion debt to Seoul.','','062','KOR','RUS','arms trade;debt','','date:article','verb:@purchase → 062; source:nearest subject','cue:would → planned',0.65,3,481,707,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e004','2f4df66f69cb','1999-08-30','1999-08-30','day','disapproval','11',3,-2.0,'reported','igor-sergeev;USA;RUS;JPN','','Sergeev will reportedly raise Russia’s concerns over a proposed U.S.-Japanese plan to develop a theater missile defense system in the region.','ITAR-TASS;AP;AFP','110','igor-sergeev','USA','missile defence','','date:source-note 1999-08-30','verb:@raise ... [concern|concerns] → 110; source:nearest subject','cue:reportedly → reported',0.75,5,756,897,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e005','2f4df66f69cb','1999-08-30','1999-08-30','day','proposal','03',1,4.0,'reported','igor-sergeev;USA;RUS;JPN','','Sergeev will reportedly raise Russia’s concerns over a proposed U.S.-Japanese plan to develop a theater missile defense system in the region.','ITAR-TASS;AP;AFP','030','igor-sergeev','USA','missile defence','','date:source-note 1999-08-30','verb:@propose → 030; source:nearest subject','cue:reportedly → reported',0.75,5,756,897,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e006','2f4df66f69cb','1999-08-30','1999-08-30','day','opposition','11',3,-2.0,'occurred','RUS;CHN','','Russia and China staunchly oppose the system.','ITAR-TASS;AP;AFP','110','RUS','','','','date:source-note 1999-08-30','verb:@oppose → 110; source:nearest subject','default: asserted',0.6,6,898,943,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e007','2f4df66f69cb','1999-08-31','1999-08-31','day','military posture','15',4,-7.2,'planned','PRK','','South Korean officials, in turn, are hoping to win a commitment from Russia that it will use its influence in Pyongyang to discourage North Korean plans to develop and test a new ballistic missile (Itar-Tass, August 29; AP, AFP, August 30).','ITAR-TASS;AP;AFP','150','PRK','','missile programme','','date:article','verb:@test → 150; source:nearest subject','cue:will → planned',0.6,7,944,1184,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e008','2f4df66f69cb','1999-05-01','1999-05-31','month','visit','04',1,1.9,'occurred','kim-dae-jung;RUS;KOR','Russia','Earlier, during a visit to Russia in May by the South Korean president, Kim Dae-jung had also tried to enlist Moscow’s support for Seoul’s “sunshine” policy–an effort at reconciliation with the communist north (International agencies, May 28-30).','International agencies','042','kim-dae-jung','RUS','inter-Korean relations;diplomacy','in May','date:clause ''in May'' (time:part_month)','noun:visit to → 042; source:by-agent','presupposed noun → occurred',0.95,8,1186,1432,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e009','2f4df66f69cb','1999-05-01','1999-05-31','month','appeal for support','02',1,3.2,'occurred','kim-dae-jung;KOR;RUS','','Earlier, during a visit to Russia in May by the South Korean president, Kim Dae-jung had also tried to enlist Moscow’s support for Seoul’s “sunshine” policy–an effort at reconciliation with the communist north (International agencies, May 28-30).','International agencies','022','kim-dae-jung','KOR','inter-Korean relations;diplomacy','in May','date:sentence ''in May'' (an earlier event of the sentence)','verb:@enlist ... support → 022; source:nearest subject','default: asserted',0.95,8,1186,1432,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e010','2f4df66f69cb','1999-05-01','1999-05-31','month','opposition','11',3,-2.0,'occurred','PRK;kim-dae-jung','','Pyongyang, meanwhile, has opposed Kim’s efforts to internationalize the Korean conflict in this way.','','110','PRK','kim-dae-jung','','in May','date:paragraph reference ''in May''','verb:@oppose → 110; source:nearest subject','default: asserted',0.65,9,1433,1533,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e011','2f4df66f69cb','1999-05-01','1999-05-31','month','statement','01',1,0.0,'occurred','PRK;RUS;KOR','','North Korea has also made clear its opposition to any Russian-South Korean arms dealings, but that factor is likely to carry little weight in Moscow.','','010','PRK','RUS','arms trade','in May','date:paragraph reference ''in May''','verb:@make clear → 010; source:nearest subject','default: asserted',0.65,10,1534,1683,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e012','2f4df66f69cb','1999-05-01','1999-05-31','month','opposition','11',3,-2.0,'occurred','PRK;RUS;KOR','','North Korea has also made clear its opposition to any Russian-South Korean arms dealings, but that factor is likely to carry little weight in Moscow.','','110','PRK','RUS','arms trade','in May','date:paragraph reference ''in May''','noun:opposition to → 110; source:clause subject','default: asserted',0.65,10,1534,1683,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e013','2f4df66f69cb','1999-08-31','1999-08-31','day','agreement','05',1,8.0,'reported','RUS;KOR','','According to some, Moscow and Seoul have all but inked a deal under which South Korea will purchase three Russian diesel-powered submarines at a price of US$1billion.','','057','RUS','','arms trade','','date:article','verb:@ink → 057; source:nearest subject','cue:according to → reported',0.5,12,1848,2014,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e014','2f4df66f69cb','1999-08-31','1999-08-31','day','arms deal','06',2,7.4,'reported','KOR;RUS','','According to some, Moscow and Seoul have all but inked a deal under which South Korea will purchase three Russian diesel-powered submarines at a price of US$1billion.','','062','KOR','RUS','arms trade','','date:article','verb:@purchase → 062; source:nearest subject','cue:according to → reported',0.65,12,1848,2014,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e015','2f4df66f69cb','1999-08-31','1999-08-31','day','talks','04',1,1.0,'reported','KOR;RUS','','The two sides are said also to be discussing the possible purchase by South Korea of Sukhoi fighter planes (reports differ on the model).','','040','KOR','','arms trade','','date:article','verb:@discuss → 040; source:pronoun:they','cue:are said also to → reported',0.5,14,2165,2302,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e016','2f4df66f69cb','1999-08-31','1999-08-31','day','arms deal','06',2,7.4,'reported','KOR;RUS','','The two sides are said also to be discussing the possible purchase by South Korea of Sukhoi fighter planes (reports differ on the model).','','062','KOR','','arms trade','','date:article','noun:purchase by → 062; source:pronoun:they','cue:are said also to → reported',0.5,14,2165,2302,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e017','2f4df66f69cb','1999-08-30','1999-08-30','day','statement','01',1,0.0,'occurred','leonid-ivashov;rus-mod','','The Russian Defense Ministry’s chief of cooperation with foreign armies, the notorious Colonel General Leonid Ivashov, said on August 30 that Sergeev would sign no arms deals at all during his visit to Seoul.','AFP','010','leonid-ivashov','','arms trade;diplomacy','August 30','date:clause ''August 30'' (time:md)','verb:@say → 010; source:nearest subject','default: asserted',0.8,16,2360,2568,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e018','2f4df66f69cb','1999-08-30','1999-08-30','day','agreement','05',1,8.0,'denied','igor-sergeev;KOR','Seoul','The Russian Defense Ministry’s chief of cooperation with foreign armies, the notorious Colonel General Leonid Ivashov, said on August 30 that Sergeev would sign no arms deals at all during his visit to Seoul.','AFP','057','igor-sergeev','KOR','arms trade;diplomacy','August 30','date:sentence ''August 30'' (an earlier event of the sentence)','verb:@sign → 057; source:nearest subject','neg:object ''no'' → denied',0.95,16,2360,2568,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e019','2f4df66f69cb','1999-08-31','1999-08-31','day','visit','04',1,1.9,'planned','igor-sergeev;KOR','Seoul','The Russian Defense Ministry’s chief of cooperation with foreign armies, the notorious Colonel General Leonid Ivashov, said on August 30 that Sergeev would sign no arms deals at all during his visit to Seoul.','AFP','042','igor-sergeev','KOR','arms trade;diplomacy','','date:article','noun:visit to → 042; source:clause subject','cue:would → planned',0.75,16,2360,2568,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e020','2f4df66f69cb','1999-08-30','1999-08-30','day','visit','04',1,1.9,'denied','igor-sergeev;KOR','Seoul','“Reports that the Russian defense minister is going to Seoul to offer concrete models of weaponry to the Korean side are the invention of reporters” (AFP, August 30).','AFP','042','igor-sergeev','KOR','military cooperation','August 30','date:paragraph reference ''August 30''','verb:@go to → 042; source:nearest subject','cue:the invention of reporters → denied',0.75,17,2569,2735,'','article','');
INSERT INTO "events" VALUES('2f4df66f69cb-e021','2f4df66f69cb','1999-08-30','1999-08-30','day','offer','03',1,4.0,'denied','igor-sergeev;KOR','','“Reports that the Russian defense minister is going to Seoul to offer concrete models of weaponry to the Korean side are the invention of reporters” (AFP, August 30).','AFP','030','igor-sergeev','','military cooperation','August 30','date:paragraph reference ''August 30''','verb:@offer → 030; source:nearest subject','cue:the invention of reporters → denied',0.6,17,2569,2735,'','article','');
CREATE TABLE found_actors ("article_id", "actor_id", "name", "kind", "country", "rule");
CREATE TABLE mentions ("article_id", "actor_id", "text", "start_char", "end_char", "sentence_id", "rule");
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',43,50,0,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','Igor Sergeev',68,80,0,'title:Defense Minister');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',107,118,0,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','kim-dae-jung','Kim Dae-jung',195,207,0,'title:President');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korean',222,234,0,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','Sergeev',246,253,1,'surname');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',272,279,1,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',311,322,1,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',359,366,2,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',509,516,3,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',597,608,3,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',618,625,3,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Moscow',669,675,3,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','Seoul',701,706,3,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','Sergeev',756,763,5,'surname');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russia',786,792,5,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','USA','U.S.',820,824,5,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','JPN','Japanese',825,833,5,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russia',898,904,6,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','CHN','China',909,914,6,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korean',944,956,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russia',1013,1019,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','PRK','Pyongyang',1054,1063,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','PRK','North Korean',1078,1090,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','itar-tass','Itar-Tass',1142,1151,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','ap','AP',1164,1166,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','afp','AFP',1168,1171,7,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russia',1213,1219,8,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','kim-dae-jung','the South Korean president',1230,1256,8,'role:head_of_state@KOR');
INSERT INTO "mentions" VALUES('2f4df66f69cb','kim-dae-jung','Kim Dae-jung',1258,1270,8,'korean-name');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Moscow',1296,1302,8,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','Seoul',1317,1322,8,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','PRK','Pyongyang',1433,1442,9,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','kim-dae-jung','Kim',1467,1470,9,'surname');
INSERT INTO "mentions" VALUES('2f4df66f69cb','PRK','North Korea',1534,1545,10,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',1588,1595,10,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korean',1596,1608,10,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Moscow',1676,1682,10,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russia',1723,1729,11,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',1733,1744,11,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','Sergeev',1761,1768,11,'surname');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Moscow',1867,1873,12,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','Seoul',1878,1883,12,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',1922,1933,12,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',1954,1961,12,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','RUS','Russian',2133,2140,13,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','South Korea',2235,2246,14,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','rus-mod','Russian Defense Ministry',2364,2388,16,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','leonid-ivashov','Leonid Ivashov',2463,2477,16,'title:Colonel General');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','Sergeev',2502,2509,16,'surname');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','Seoul',2562,2567,16,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','igor-sergeev','the Russian defense minister',2583,2611,17,'role:defense_minister@RUS');
INSERT INTO "mentions" VALUES('2f4df66f69cb','KOR','Seoul',2624,2629,17,'alias');
INSERT INTO "mentions" VALUES('2f4df66f69cb','afp','AFP',2719,2722,17,'alias');
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
INSERT INTO "meta" VALUES('version','1');
INSERT INTO "meta" VALUES('schema','1');
CREATE TABLE sentences ("article_id", "sentence_id", "paragraph_id", "start_char", "end_char", "text");
INSERT INTO "sentences" VALUES('2f4df66f69cb',0,0,43,245,'Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea later this week, where he will hold talks from September 2-4 with President Kim Dae-jung and other top South Korean officials.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',1,0,246,354,'Sergeev will join a large Russian military delegation already in South Korea on a twelve-day official visit.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',2,0,355,480,'The Russian side plainly hopes that the high-profile contacts will boost military-to-military ties between the two countries.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',3,0,481,707,'At least equally important, Russian officials are hoping to promote a series of possible arms deals which would see South Korea purchase Russian military hardware in partial repayment for Moscow’s US$1.8 billion debt to Seoul.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',4,1,709,755,'Asian security matters are also on the agenda.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',5,1,756,897,'Sergeev will reportedly raise Russia’s concerns over a proposed U.S.-Japanese plan to develop a theater missile defense system in the region.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',6,1,898,943,'Russia and China staunchly oppose the system.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',7,1,944,1184,'South Korean officials, in turn, are hoping to win a commitment from Russia that it will use its influence in Pyongyang to discourage North Korean plans to develop and test a new ballistic missile (Itar-Tass, August 29; AP, AFP, August 30).');
INSERT INTO "sentences" VALUES('2f4df66f69cb',8,2,1186,1432,'Earlier, during a visit to Russia in May by the South Korean president, Kim Dae-jung had also tried to enlist Moscow’s support for Seoul’s “sunshine” policy–an effort at reconciliation with the communist north (International agencies, May 28-30).');
INSERT INTO "sentences" VALUES('2f4df66f69cb',9,2,1433,1533,'Pyongyang, meanwhile, has opposed Kim’s efforts to internationalize the Korean conflict in this way.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',10,2,1534,1683,'North Korea has also made clear its opposition to any Russian-South Korean arms dealings, but that factor is likely to carry little weight in Moscow.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',11,3,1685,1847,'With regard to possible arms sales by Russia to South Korea, the lead-up to Sergeev’s visit has provided even more than the usual number of contradictory reports.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',12,3,1848,2014,'According to some, Moscow and Seoul have all but inked a deal under which South Korea will purchase three Russian diesel-powered submarines at a price of US$1billion.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',13,3,2015,2164,'Other reports have suggested, however, that the deal in question may actually involve the sale of three more advanced Russian Amur class diesel subs.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',14,3,2165,2302,'The two sides are said also to be discussing the possible purchase by South Korea of Sukhoi fighter planes (reports differ on the model).');
INSERT INTO "sentences" VALUES('2f4df66f69cb',15,4,2304,2359,'The discussion may be academic, at least at this point.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',16,4,2360,2568,'The Russian Defense Ministry’s chief of cooperation with foreign armies, the notorious Colonel General Leonid Ivashov, said on August 30 that Sergeev would sign no arms deals at all during his visit to Seoul.');
INSERT INTO "sentences" VALUES('2f4df66f69cb',17,4,2569,2735,'“Reports that the Russian defense minister is going to Seoul to offer concrete models of weaponry to the Korean side are the invention of reporters” (AFP, August 30).');
CREATE TABLE texts (article_id TEXT PRIMARY KEY, content_hash TEXT UNIQUE, source_file TEXT, text TEXT, encoding TEXT, format TEXT, title TEXT, header_date TEXT, user_date TEXT, added_at TEXT, warnings TEXT);
INSERT INTO "texts" VALUES('2f4df66f69cb','2f4df66f69cbe41ec13ecaf227943ddc783235a6ce783b7799e2431e75389e6e','monitor-1999-v5-i160.txt','Publication: Monitor Volume: 5 Issue: 160

Russian Defense Minister Igor Sergeev is scheduled to travel to South Korea later this week, where he will hold talks from September 2-4 with President Kim Dae-jung and other top South Korean officials. Sergeev will join a large Russian military delegation already in South Korea on a twelve-day official visit. The Russian side plainly hopes that the high-profile contacts will boost military-to-military ties between the two countries. At least equally important, Russian officials are hoping to promote a series of possible arms deals which would see South Korea purchase Russian military hardware in partial repayment for Moscow’s US$1.8 billion debt to Seoul.

Asian security matters are also on the agenda. Sergeev will reportedly raise Russia’s concerns over a proposed U.S.-Japanese plan to develop a theater missile defense system in the region. Russia and China staunchly oppose the system. South Korean officials, in turn, are hoping to win a commitment from Russia that it will use its influence in Pyongyang to discourage North Korean plans to develop and test a new ballistic missile (Itar-Tass, August 29; AP, AFP, August 30).

Earlier, during a visit to Russia in May by the South Korean president, Kim Dae-jung had also tried to enlist Moscow’s support for Seoul’s “sunshine” policy–an effort at reconciliation with the communist north (International agencies, May 28-30). Pyongyang, meanwhile, has opposed Kim’s efforts to internationalize the Korean conflict in this way. North Korea has also made clear its opposition to any Russian-South Korean arms dealings, but that factor is likely to carry little weight in Moscow.

With regard to possible arms sales by Russia to South Korea, the lead-up to Sergeev’s visit has provided even more than the usual number of contradictory reports. According to some, Moscow and Seoul have all but inked a deal under which South Korea will purchase three Russian diesel-powered submarines at a price of US$1billion. Other reports have suggested, however, that the deal in question may actually involve the sale of three more advanced Russian Amur class diesel subs. The two sides are said also to be discussing the possible purchase by South Korea of Sukhoi fighter planes (reports differ on the model).

The discussion may be academic, at least at this point. The Russian Defense Ministry’s chief of cooperation with foreign armies, the notorious Colonel General Leonid Ivashov, said on August 30 that Sergeev would sign no arms deals at all during his visit to Seoul. “Reports that the Russian defense minister is going to Seoul to offer concrete models of weaponry to the Korean side are the invention of reporters” (AFP, August 30).','utf-8','txt','','','','2026-12-02T03:24:37+00:00','');
CREATE INDEX articles_article ON articles (article_id);
CREATE INDEX mentions_article ON mentions (article_id);
CREATE INDEX sentences_article ON sentences (article_id);
CREATE INDEX citations_article ON citations (article_id);
CREATE INDEX events_article ON events (article_id);
CREATE INDEX amounts_article ON amounts (article_id);
CREATE INDEX found_actors_article ON found_actors (article_id);
COMMIT;
